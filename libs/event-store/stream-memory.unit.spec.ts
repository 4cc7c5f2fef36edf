import { StreamMemory } from './stream-memory.js';

const entry = (version: number, text: string) => ({ owner: 0, version, text });

describe('StreamMemory', () => {
  it('gives an entry once: taken out, it is gone until put back', () => {
    const memory = new StreamMemory({ maxStreams: 10, maxChars: 1000 });
    memory.put('department-A', entry(3, '{"a":1}'));
    expect(memory.take('department-A')).toEqual(entry(3, '{"a":1}'));
    expect(memory.take('department-A')).toBeUndefined();
    expect(memory.size).toEqual({ streams: 0, chars: 0 });
  });

  it('keeps only the newest entry of a stream, counting its characters once', () => {
    const memory = new StreamMemory({ maxStreams: 10, maxChars: 1000 });
    memory.put('department-A', entry(1, 'x'.repeat(100)));
    memory.put('department-A', entry(2, 'y'.repeat(30)));
    expect(memory.size).toEqual({ streams: 1, chars: 30 });
    expect(memory.take('department-A')).toEqual(entry(2, 'y'.repeat(30)));
  });

  it('holds at most maxStreams streams, forgetting the least recently used first', () => {
    const memory = new StreamMemory({ maxStreams: 2, maxChars: 1000 });
    memory.put('department-A', entry(1, 'a'));
    memory.put('department-B', entry(1, 'b'));
    // A is used again (taken by an append, put back by its commit): B is now the oldest.
    memory.put('department-A', { ...memory.take('department-A')!, version: 2 });
    memory.put('department-C', entry(1, 'c'));
    expect(memory.size).toEqual({ streams: 2, chars: 2 });
    expect(memory.take('department-B')).toBeUndefined();
    expect(memory.take('department-A')?.version).toBe(2);
    expect(memory.take('department-C')?.text).toBe('c');
  });

  it('holds at most maxChars characters however many streams fit, and never one larger than that', () => {
    const memory = new StreamMemory({ maxStreams: 1000, maxChars: 250 });
    for (let index = 0; index < 100; index += 1) memory.put(`department-D${index}`, entry(1, 'z'.repeat(100)));
    expect(memory.size).toEqual({ streams: 2, chars: 200 });
    expect(memory.take('department-D99')).toBeDefined();
    expect(memory.take('department-D98')).toBeDefined();

    memory.put('department-HUGE', entry(1, 'z'.repeat(251)));
    expect(memory.size).toEqual({ streams: 0, chars: 0 });
  });

  it('remembers nothing with maxStreams 0', () => {
    const memory = new StreamMemory({ maxStreams: 0, maxChars: 1000 });
    memory.put('department-A', entry(1, 'a'));
    expect(memory.take('department-A')).toBeUndefined();
  });
});
