import { TokenRequestError, parseTokenRequest } from './token-request.js';

describe('npm run token arguments', () => {
  it('makes a lead token for the named departments', () => {
    expect(parseTokenRequest(['--role', 'lead', '--dept', 'dft'], 'ann')).toEqual({
      claims: { sub: 'lead-ann', roles: ['lead'], departments: ['DFT'] },
      expiresInSeconds: 8 * 3600,
    });
  });

  it('takes several roles and departments, a subject and a lifetime', () => {
    expect(parseTokenRequest(['--role', 'lead,programme', '--dept', 'DFT', '--dept', 'HMT', '--sub', 'j.smith@dft.gov.uk', '--hours', '2'], 'ann')).toEqual({
      claims: { sub: 'j.smith@dft.gov.uk', roles: ['lead', 'programme'], departments: ['DFT', 'HMT'] },
      expiresInSeconds: 7200,
    });
  });

  it('needs no department for an unscoped role', () => {
    expect(parseTokenRequest(['--role', 'auditor'], 'ann')).toMatchObject({ claims: { roles: ['auditor'], departments: [] } });
  });

  it.each([
    [[], /--role is required/],
    [['--role', 'root'], /unknown role root/],
    [['--role', 'lead'], /must name its departments/],
    [['--role', 'centre', '--dept', 'not a code'], /not a department code/],
    [['--role', 'auditor', '--hours', '100'], /--hours/],
    [['--role', 'auditor', '--sub', 'has spaces'], /--sub/],
    [['--role', 'auditor', '--admin'], /Unknown option/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseTokenRequest(argv, 'ann')).toThrow(TokenRequestError);
    expect(() => parseTokenRequest(argv, 'ann')).toThrow(message);
  });

  it('answers --help', () => {
    expect(parseTokenRequest(['--help'], 'ann')).toBe('help');
  });
});
