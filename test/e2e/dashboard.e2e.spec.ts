import { startStack, type Stack } from '../support/stack.js';

describe('the dashboard at /', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('serves a page that needs no token and loads its script and styles from the same origin', async () => {
    const page = await stack.http.get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<script src="/dashboard.js"></script>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");

    const script = await stack.http.get('/dashboard.js');
    expect(script.status).toBe(200);
    expect(script.text).toContain("'/api/departments'");
    const styles = await stack.http.get('/dashboard.css');
    expect(styles.headers['content-type']).toMatch(/^text\/css/);
  });
});
