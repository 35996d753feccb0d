// A solve far longer than the keepalive test runs (2^16 OU paths of 10^5
// Euler steps, statistics only), through client/node's channel (cli.js:
// connect, its keepalive options). Exits 0 if it ends, else 1 with the gRPC
// status on stderr (cli.js: run), e.g. "UNAVAILABLE: ..." when keepalive finds
// the server gone. Prints "started" once the server answered the call's headers.
//
//   node tests/node/long_solve.js --server HOST:PORT
'use strict';

const path = require('node:path');
const {connect, loadServices, run} = require(
    path.join(__dirname, '..', '..', 'client', 'node', 'cli.js'));

const LONG_SOLVE = {
  model: {builtin: {name: 'ou', params: {theta: 1, sigma: 0.5}}},
  method: 'EULER',
  t1: 1,
  y0: [1],
  step: {constant: {dt: 1e-5}},
  seed: '1',
  num_paths: 1 << 16,
  output: 'OUTPUT_STATISTICS',
};

function longSolve(server) {
  const client = connect(loadServices().SolverService, server);
  return new Promise((resolve, reject) => {
    // The deadline is far beyond the keepalive bound (30 s): only keepalive
    // can end the call early.
    const call = client.solve(LONG_SOLVE, {deadline: Date.now() + 600000});
    call.on('metadata', () => process.stdout.write('started\n'));
    call.on('data', () => {});
    call.on('error', (error) => {
      client.close();
      reject(error);
    });
    call.on('end', () => {
      client.close();
      resolve();
    });
  });
}

run(longSolve);
