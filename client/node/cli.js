// What the scripts share: the --server argument, the channel options
// (keepalive), the repository's protos and how a failure is reported.
'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_ROOT = path.join(__dirname, '..', '..', 'proto');

// uint64 fields (seed, path_index, counts) as decimal strings: JavaScript
// numbers hold integers exactly only up to 2^53.
const LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT]
};

// Keepalive while a call is in flight, as the CLI and the Python client do
// (docs/server.md, "Transport limits"): a ping every 20 s, the connection
// dropped when one is not answered within 10 s, so a call to a server that
// vanished without closing (a node lost, a frozen process) fails with
// UNAVAILABLE within 30 s instead of at its deadline. No pings without calls:
// pathwised allows a ping every 10 s (--keepalive_min_ping_interval) and
// none while idle; faster pings get the connection closed (GOAWAY
// "too_many_pings").
const CHANNEL_OPTIONS = {
  'grpc.keepalive_time_ms': 20000,
  'grpc.keepalive_timeout_ms': 10000,
  'grpc.keepalive_permit_without_calls': 0
};

// A client of `Service` (a constructor from grpc.loadPackageDefinition) on an
// insecure channel to `server` with CHANNEL_OPTIONS.
function connect(Service, server) {
  return new Service(server, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}

// pathwise.v1 from the repository's protos, loaded at run time.
function loadServices() {
  const definition = protoLoader.loadSync(
      ['pathwise/v1/brownian.proto', 'pathwise/v1/solver.proto'], LOADER_OPTIONS);
  return grpc.loadPackageDefinition(definition).pathwise.v1;
}

// The address after --server (default 127.0.0.1:50051); throws on anything else.
function serverArgument(argv) {
  let server = '127.0.0.1:50051';
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '--server' && i + 1 < argv.length) {
      server = argv[++i];
    } else {
      const script = path.basename(process.argv[1]);
      throw new Error(`unknown argument ${argv[i]} (usage: node ${script} [--server HOST:PORT])`);
    }
  }
  return server;
}

// Runs main(server); a failure prints its gRPC status name and the server's
// message (which names the wire field, e.g. "model.builtin.name: unknown
// model ...") and exits 1.
function run(main) {
  const script = path.basename(process.argv[1]);
  Promise.resolve().then(() => main(serverArgument(process.argv.slice(2)))).catch((error) => {
    const code = error.code !== undefined ? `${grpc.status[error.code]}: ` : '';
    process.stderr.write(`${script}: ${code}${error.details || error.message}\n`);
    process.exit(1);
  });
}

module.exports = {CHANNEL_OPTIONS, connect, loadServices, run};
