// Run the OpenStack simulator by hand (or from another test harness) and write a clouds.yaml
// for it:  tsx lab/simulator/main.ts --clouds /tmp/sim-clouds.yaml [--policy default]
//          [--keystone-port 0] [--barbican-port 0]
// Stops on SIGINT/SIGTERM. The simulator listens on 127.0.0.1 only.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { OpenStackSimulator, type SimPolicy } from './simulator';

const { values } = parseArgs({
  options: {
    clouds: { type: 'string', default: 'sim-clouds.yaml' },
    policy: { type: 'string', default: 'creator' },
    'keystone-port': { type: 'string', default: '0' },
    'barbican-port': { type: 'string', default: '0' },
  },
});
const policy = values.policy as SimPolicy;
if (policy !== 'creator' && policy !== 'default') throw new Error('--policy must be creator or default');
const sim = await new OpenStackSimulator({ policy }).start({
  keystone: Number(values['keystone-port']),
  barbican: Number(values['barbican-port']),
});
const pw = (u: { name: string; password: string; projectId: string }, region = 'RegionOne') => ({
  auth: {
    auth_url: `${sim.keystoneUrl}/v3`,
    username: u.name,
    password: u.password,
    user_domain_name: 'Default',
    project_id: u.projectId,
  },
  region_name: region,
  allow_private_addresses: true,
});
const clouds = {
  clouds: {
    sim: pw(sim.users.member),
    'sim-nokm': pw(sim.users.member, 'RegionNoKM'),
    'sim-reader': pw(sim.users.reader),
    'sim-admin': pw(sim.users.admin),
    'sim-other': pw(sim.users.other),
    'sim-appcred': {
      auth_type: 'v3applicationcredential',
      auth: {
        auth_url: `${sim.keystoneUrl}/v3`,
        application_credential_id: sim.appCredential.id,
        application_credential_secret: sim.appCredential.secret,
      },
      region_name: 'RegionOne',
      allow_private_addresses: true,
    },
  },
};
writeFileSync(values.clouds!, JSON.stringify(clouds, null, 2), { mode: 0o600 });
process.stdout.write(
  `simulator: keystone ${sim.keystoneUrl}/v3, barbican ${sim.barbicanUrl} (policy ${policy}); clouds.yaml: ${values.clouds}\n`,
);
const stop = () => void sim.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
