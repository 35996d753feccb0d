#!/usr/bin/env node
// A call with no local copy of pathwise's protos: the service descriptions
// come from the server's reflection service (grpc.reflection.v1alpha, which
// pathwised serves unless --reflection=false), as grpcurl does it.
//
//   node reflection.js [--server 127.0.0.1:50051]
//
// 1. list_services: the services the server offers;
// 2. file_containing_symbol "pathwise.v1.BrownianService": the
//    FileDescriptorProtos of brownian.proto and its imports;
// 3. those become a package definition (@grpc/proto-loader), and
//    BrownianService.Sample is called with it.
// Prints {"services": [...], "sample": {"w": [...]}} as JSON; W(0.5) of seed 42
// equals `pathwise sample --seed 42 --dim 2 --times 0.5 --format json`.
'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const {connect, run} = require('./cli');

// The reflection protocol's own proto, shipped with @grpc/reflection.
const REFLECTION_PROTO =
    path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');

function reflectionClient(server) {
  const definition = protoLoader.loadSync(
      'grpc/reflection/v1alpha/reflection.proto',
      {keepCase: true, oneofs: true, includeDirs: [REFLECTION_PROTO]});
  const {ServerReflection} = grpc.loadPackageDefinition(definition).grpc.reflection.v1alpha;
  return connect(ServerReflection, server);
}

// Sends the requests on one ServerReflectionInfo stream; resolves with the
// responses in order.
function ask(client, requests) {
  return new Promise((resolve, reject) => {
    const responses = [];
    const call = client.serverReflectionInfo({deadline: Date.now() + 30000});
    call.on('data', (response) => {
      if (response.message_response === 'error_response') {
        const e = response.error_response;
        call.cancel();
        reject(new Error(`reflection: ${e.error_message} (code ${e.error_code})`));
        return;
      }
      responses.push(response);
      if (responses.length === requests.length) call.end();
    });
    call.on('error', reject);
    call.on('end', () => resolve(responses));
    for (const request of requests) call.write(request);
  });
}

// A FileDescriptorSet is `repeated FileDescriptorProto file = 1`: each file is
// field 1, wire type 2 (tag byte 0x0a), its length as a varint, its bytes.
function fileDescriptorSet(files) {
  const parts = [];
  for (const file of files) {
    const length = [];
    let n = file.length;
    do {
      length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    parts.push(Buffer.from([0x0a, ...length]), file);
  }
  return Buffer.concat(parts);
}

function sample(BrownianService, server) {
  const client = connect(BrownianService, server);
  const request = {path: {seed: '42', dim: 2, t0: 0, t1: 1}, path_count: 1, times: [0.5]};
  return new Promise((resolve, reject) => {
    client.sample(request, {deadline: Date.now() + 30000}, (error, response) => {
      client.close();
      if (error) return reject(error);
      resolve({algorithm: response.algorithm, w: response.w});
    });
  });
}

async function main(server) {
  const reflection = reflectionClient(server);
  const [listed, files] = await ask(reflection, [
    {list_services: ''},
    {file_containing_symbol: 'pathwise.v1.BrownianService'},
  ]);
  reflection.close();
  const services = listed.list_services_response.service.map((s) => s.name).sort();
  const definition = protoLoader.loadFileDescriptorSetFromBuffer(
      fileDescriptorSet(files.file_descriptor_response.file_descriptor_proto),
      {keepCase: true, longs: String, enums: String, defaults: true});
  const {BrownianService} = grpc.loadPackageDefinition(definition).pathwise.v1;
  const result = {services, sample: await sample(BrownianService, server)};
  process.stdout.write(JSON.stringify(result) + '\n');
}

run(main);
