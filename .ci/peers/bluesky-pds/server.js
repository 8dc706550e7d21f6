'use strict';
// The project's Bluesky PDS test peer: @atproto/pds with an in-memory did:plc
// directory (@did-plc/server's mock database), so creating an account never
// reaches plc.directory. start.sh sets the PDS_* environment and NODE_PATH.
const net = require('net');

// Neither server takes a bind address: make every listen(port) loopback-only.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (port, ...rest) {
  if (typeof port === 'number' && typeof rest[0] !== 'string') {
    return listen.call(this, port, '127.0.0.1', ...rest);
  }
  return listen.call(this, port, ...rest);
};

const plc = require('@did-plc/server');
const pds = require('@atproto/pds');
const { version } = require('@atproto/pds/package.json');

async function run() {
  const plcPort = Number(process.env.PLC_PORT);
  const directory = plc.PlcServer.create({ db: plc.Database.mock(), port: plcPort });
  await directory.start();
  process.env.PDS_DID_PLC_URL = `http://127.0.0.1:${plcPort}`;

  const env = pds.readEnv();
  env.version = env.version || version;
  const server = await pds.PDS.create(pds.envToCfg(env), pds.envToSecrets(env));
  await server.start();
  console.log(`pds ${version} on 127.0.0.1:${process.env.PDS_PORT}, plc on 127.0.0.1:${plcPort}`);

  const shutdown = async () => {
    await server.destroy().catch(() => {});
    await directory.destroy().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

run().catch((err) => {
  console.error('pds peer failed to start:', err);
  process.exit(1);
});
