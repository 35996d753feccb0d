// What example.js and reflection.js share: the --server argument and how a
// failure is reported.
'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');

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

module.exports = {run};
