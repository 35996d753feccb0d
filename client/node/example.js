#!/usr/bin/env node
// pathwised from Node.js, with the repository's protos (../../proto) loaded at
// run time by @grpc/proto-loader: samples a Brownian path (BrownianService.Sample)
// and solves a small SDE ensemble (SolverService.Solve, a server stream).
//
//   node example.js [--server 127.0.0.1:50051]
//
// Prints one JSON object, {"sample": ..., "solve": ...}, in the layout of
// `pathwise sample --format json` and `pathwise solve --format json`: the same
// requests give the same bits from every client (JSON numbers are written as
// the shortest decimal that reads back as the same double, in both).
'use strict';

const {connect, loadServices, run} = require('./cli');

// The README's first sample: two 2-dimensional paths with their space-time
// Lévy areas, at two times and over two intervals.
const SAMPLE_REQUEST = {
  path: {seed: '42', path_index: '0', dim: 2, t0: 0, t1: 1, levy_area: 'LEVY_AREA_SPACE_TIME'},
  path_count: 2,
  times: [0.5, 0.25],
  intervals: [{s: 0.1, t: 0.2}, {s: 0.3, t: 0.9}],
};

// Ornstein-Uhlenbeck (theta = 1.5) with ShARK, 4 paths, saved at 0.5 and 1.
const SOLVE_REQUEST = {
  model: {builtin: {name: 'ou', params: {theta: 1.5}}},
  method: 'SHARK',
  t0: 0,
  t1: 1,
  y0: [1],
  step: {constant: {dt: 0.01}},
  saveat: {ts: [0.5, 1]},
  seed: '42',
  num_paths: 4,
  output: 'OUTPUT_PATHS',
};

// values[(p * count + q) * dim + j] as [p][q][j].
function nested(values, paths, count, dim) {
  const out = [];
  for (let p = 0; p < paths; ++p) {
    const rows = [];
    for (let q = 0; q < count; ++q) {
      rows.push(values.slice((p * count + q) * dim, (p * count + q + 1) * dim));
    }
    out.push(rows);
  }
  return out;
}

function sample(pathwise, server) {
  const client = connect(pathwise.BrownianService, server);
  return new Promise((resolve, reject) => {
    client.sample(SAMPLE_REQUEST, {deadline: Date.now() + 30000}, (error, response) => {
      client.close();
      if (error) return reject(error);
      const {dim, path_count: paths, query_count: count} = response;
      const result = {
        algorithm: response.algorithm,
        dim,
        path_count: paths,
        query_count: count,
        w: nested(response.w, paths, count, dim)
      };
      if (response.h.length) result.h = nested(response.h, paths, count, dim);
      resolve(result);
    });
  });
}

function solve(pathwise, server) {
  const client = connect(pathwise.SolverService, server);
  return new Promise((resolve, reject) => {
    const paths = [];
    let summary = null;
    const call = client.solve(SOLVE_REQUEST, {deadline: Date.now() + 60000});
    call.on('data', (event) => {
      if (event.event === 'paths') {
        for (const p of event.paths.paths) {
          const dim = p.ts.length ? p.ys.length / p.ts.length : 0;
          paths.push({
            path_index: p.path_index,
            status: p.status,
            ts: p.ts,
            ys: nested(p.ys, 1, p.ts.length, dim)[0]
          });
        }
      } else if (event.event === 'summary') {
        summary = event.summary;
      }
    });
    call.on('error', (error) => {
      client.close();
      reject(error);
    });
    call.on('end', () => {
      client.close();
      if (summary === null) return reject(new Error('Solve stream ended without a Summary'));
      resolve({
        paths,
        summary: {
          algorithm: summary.algorithm,
          levy_area: summary.levy_area,
          brownian_tol: summary.brownian_tol,
          status_counts: summary.status_counts
        }
      });
    });
  });
}

async function main(server) {
  const pathwise = loadServices();
  const result = {sample: await sample(pathwise, server), solve: await solve(pathwise, server)};
  process.stdout.write(JSON.stringify(result) + '\n');
}

run(main);
