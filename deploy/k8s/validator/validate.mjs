// Validates Kubernetes objects offline: node validate.mjs FILE.yaml ...
// (multi-document YAML, e.g. the output of `kubectl kustomize`).
//
// 1. Schema: each object against the OpenAPI schema of its kind (kubernetes-
//    models, Kubernetes 1.27; prometheus-operator's CRD for ServiceMonitor).
// 2. Unknown fields: a misspelt key (`readinesProbe`) passes a schema that
//    allows extra properties, and the API server would reject it (kubectl's
//    strict field validation). Every object is wrapped in a Proxy that records
//    which keys the schema's validator reads; a key it never reads is not in
//    the schema.
// 3. This project's rules: the pod hardening of the "restricted" Pod Security
//    Standard, resources, probes, the termination grace against the drain,
//    and references between objects (selectors, ports, scale targets).
// Prints every problem and exits 1 if there is one.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";

// The kinds deploy/k8s may contain; any other kind is an error, not a skip.
const MODELS = new Map(
  [Namespace, Service, Deployment, HorizontalPodAutoscaler, PodDisruptionBudget, ServiceMonitor].map(
    (model) => [`${model.apiVersion}/${model.kind}`, model],
  ),
);

// A deep copy of value whose objects record the keys read from them.
function tracked(value, path, records) {
  if (value === null || typeof value !== "object") return value;
  const copy = Array.isArray(value)
    ? value.map((item, i) => tracked(item, `${path}/${i}`, records))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tracked(v, `${path}/${k}`, records)]));
  if (Array.isArray(value)) return copy;
  const read = new Set();
  records.push({ path, keys: Object.keys(value), read });
  return new Proxy(copy, {
    get(target, key, receiver) {
      if (typeof key === "string") read.add(key);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === "string") read.add(key);
      return Reflect.has(target, key);
    },
  });
}

function schemaProblems(model, object) {
  const records = [];
  const proxy = tracked(object, "", records);
  const problems = [];
  try {
    // The model's validate() checks `this`: hand it the proxy itself (a
    // model instance would be a copy the Proxy cannot see into).
    model.prototype.validate.call(proxy);
  } catch (error) {
    for (const e of error.errors ?? [{ instancePath: "", message: error.message }]) {
      problems.push(`${e.instancePath || "/"} ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`);
    }
  }
  // Only the outermost unknown key: nothing below it was read either.
  const unknown = records.flatMap(({ path, keys, read }) => keys.filter((k) => !read.has(k)).map((k) => `${path}/${k}`));
  for (const path of unknown) {
    if (!unknown.some((outer) => path.startsWith(`${outer}/`))) problems.push(`${path}: unknown field`);
  }
  return problems;
}

const matches = (selector = {}, labels = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

function seconds(duration) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(duration ?? "");
  if (!match) return null;
  return Number(match[1]) * { ms: 1e-3, s: 1, m: 60 }[match[2]];
}

// A cluster resolves a name without a registry host on Docker Hub, and a
// re-pushed tag (latest above all) never rolls out: the image must name its
// registry and a release tag or a digest.
function imageProblems(where, image = "") {
  const problems = [];
  const [name, digest] = image.split("@");
  const slash = name.indexOf("/");
  const host = slash < 0 ? "" : name.slice(0, slash);
  if (!(host.includes(".") || host.includes(":") || host === "localhost")) {
    problems.push(`${where}: image ${image} names no registry host`);
  }
  const tag = /:([^/:]+)$/.exec(name)?.[1];
  if (digest === undefined && (tag === undefined || tag === "latest")) {
    problems.push(`${where}: image ${image} needs a release tag or a digest, not ${tag ?? "no tag"}`);
  }
  return problems;
}

function podProblems(deployment) {
  const problems = [];
  const template = deployment.spec?.template ?? {};
  const pod = template.spec ?? {};
  const podSecurity = pod.securityContext ?? {};
  if (!matches(deployment.spec?.selector?.matchLabels, template.metadata?.labels)) {
    problems.push("spec.selector.matchLabels must select the pod template's labels");
  }
  if (podSecurity.seccompProfile?.type !== "RuntimeDefault") {
    problems.push("pod securityContext.seccompProfile.type must be RuntimeDefault");
  }
  for (const c of pod.containers ?? []) {
    const where = `container ${c.name}`;
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`${where}: capabilities must drop ALL`);
    if ((sc.capabilities?.add ?? []).length > 0) problems.push(`${where}: must add no capabilities`);
    if ((sc.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) problems.push(`${where}: runAsNonRoot must be true`);
    if ((sc.runAsUser ?? podSecurity.runAsUser) === 0) problems.push(`${where}: runAsUser must not be 0`);
    for (const kind of ["requests", "limits"]) {
      for (const resource of ["cpu", "memory"]) {
        if (c.resources?.[kind]?.[resource] === undefined) problems.push(`${where}: no resources.${kind}.${resource}`);
      }
    }
    problems.push(...imageProblems(where, c.image));
    // Every file a flag names (--tls_cert_file=..., --auth_tokens_file=...)
    // lies in a mounted volume: the image has no such files of its own.
    const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name)) problems.push(`${where}: volumeMount ${m.name} names no volume of the pod`);
    }
    for (const arg of c.args ?? []) {
      const file = /^--\w+_file=(.*)$/.exec(arg)?.[1];
      if (file !== undefined && !(c.volumeMounts ?? []).some((m) => file.startsWith(`${m.mountPath.replace(/\/$/, "")}/`))) {
        problems.push(`${where}: ${arg.split("=")[0]} names ${file}, which no volumeMount holds`);
      }
    }
    for (const probe of ["readinessProbe", "livenessProbe"]) {
      if (!c[probe]) problems.push(`${where}: no ${probe}`);
    }
    // The kubelet's SIGKILL must not cut the drain short: preStop sleep +
    // --shutdown_grace (pathwised's default 10 s) < terminationGracePeriodSeconds.
    const flag = (c.args ?? []).filter((a) => a.startsWith("--shutdown_grace=")).pop();
    const grace = flag ? seconds(flag.split("=")[1]) : 10;
    const preStop = c.lifecycle?.preStop?.exec?.command;
    const sleep = preStop?.[0] === "sleep" ? Number(preStop[1]) : 0;
    const period = pod.terminationGracePeriodSeconds ?? 30;
    if (grace === null) problems.push(`${where}: cannot read ${flag}`);
    else if (!(sleep + grace < period)) {
      problems.push(`${where}: terminationGracePeriodSeconds ${period} must exceed preStop ${sleep} s + --shutdown_grace ${grace} s`);
    }
  }
  return problems;
}

function referenceProblems(objects) {
  const problems = [];
  const pods = objects.filter((o) => o.kind === "Deployment").map((d) => ({
    deployment: d,
    labels: d.spec?.template?.metadata?.labels ?? {},
    ports: new Set((d.spec?.template?.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).flatMap((p) => [p.name, p.containerPort]))),
  }));
  const name = (o) => `${o.kind}/${o.metadata?.name}`;
  for (const o of objects) {
    if (o.kind === "Service") {
      const selected = pods.filter((p) => matches(o.spec?.selector, p.labels));
      if (selected.length === 0) problems.push(`${name(o)}: selector matches no Deployment's pods`);
      for (const port of o.spec?.ports ?? []) {
        const target = port.targetPort ?? port.port;
        if (!selected.every((p) => p.ports.has(target))) problems.push(`${name(o)}: targetPort ${target} is no container port`);
      }
    } else if (o.kind === "PodDisruptionBudget") {
      if (!pods.some((p) => matches(o.spec?.selector?.matchLabels, p.labels))) problems.push(`${name(o)}: selector matches no pods`);
    } else if (o.kind === "HorizontalPodAutoscaler") {
      const ref = o.spec?.scaleTargetRef ?? {};
      if (!pods.some((p) => ref.kind === "Deployment" && p.deployment.metadata?.name === ref.name)) {
        problems.push(`${name(o)}: scaleTargetRef ${ref.kind}/${ref.name} is not in the set`);
      }
    } else if (o.kind === "ServiceMonitor") {
      const services = objects.filter((s) => s.kind === "Service" && matches(o.spec?.selector?.matchLabels, s.metadata?.labels));
      for (const endpoint of o.spec?.endpoints ?? []) {
        if (!services.some((s) => (s.spec?.ports ?? []).some((p) => p.name === endpoint.port))) {
          problems.push(`${name(o)}: no selected Service has a port named ${endpoint.port}`);
        }
      }
    }
  }
  return problems;
}

function main(files) {
  if (files.length === 0) {
    console.error("usage: node validate.mjs FILE.yaml ...");
    return 2;
  }
  const problems = [];
  const objects = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
      if (doc.errors.length > 0) {
        problems.push(`${file}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
        continue;
      }
      const object = doc.toJS();
      if (object === null) continue;
      const where = `${file}: ${object.kind}/${object.metadata?.name}`;
      const model = MODELS.get(`${object.apiVersion}/${object.kind}`);
      if (!model) {
        problems.push(`${where}: kind ${object.apiVersion}/${object.kind} is not one deploy/k8s may contain`);
        continue;
      }
      objects.push(object);
      problems.push(...schemaProblems(model, object).map((p) => `${where}: ${p}`));
      if (object.kind === "Deployment") problems.push(...podProblems(object).map((p) => `${where}: ${p}`));
    }
  }
  problems.push(...referenceProblems(objects).map((p) => `${files.join(" ")}: ${p}`));
  for (const p of problems) console.error(p);
  console.log(`${files.join(" ")}: ${objects.length} objects, ${problems.length} problems`);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
