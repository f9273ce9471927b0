const constructed: any[] = [];
jest.mock('@pulumi/policy', () => ({ PolicyPack: jest.fn().mockImplementation((name: string, args: any) => constructed.push({ name, args })) }));
jest.mock('kubeharden/pulumi', () => jest.requireActual('../../src/pulumi'), { virtual: true });

test('the example policy pack serves the generated policies (PolicyPack stubbed: no gRPC server)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pack = require('../../examples/pulumi-policy-pack/index');
  expect(constructed).toHaveLength(1);
  expect(constructed[0].name).toBe('kubeharden');
  expect(constructed[0].args.policies).toBe(pack.policies);
  expect(pack.policies.find((p: any) => p.name === 'pss-privileged')).toBeDefined();
});
