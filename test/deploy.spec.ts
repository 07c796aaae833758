import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';
import { PATH_METADATA } from '@nestjs/common/constants';
import { parse, parseAllDocuments } from 'yaml';
import { SIGNING_KEY_FILE } from '@kansli/auth';
import { WEBHOOK_KEY_FILE } from '@kansli/diarium';
import { LOG_KEY_FILE } from '@kansli/integrity';
import { CONFIG_VARIABLES, loadConfig } from '../apps/kansli/src/config';
import { OperationsController } from '../apps/kansli/src/operations/operations.controller';

/*
 * The deployment files (deploy/) on paper: no Docker, compose or cluster runs here, so this reads the Dockerfile,
 * compose.yaml, nginx.conf and the Kubernetes manifests and holds them to the code: the variables Kansli reads, the
 * routes its probes ask, the start command of package.json, the port, the keys it shares.
 */

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const KEY_FILES = [SIGNING_KEY_FILE, WEBHOOK_KEY_FILE, LOG_KEY_FILE];

type Env = Record<string, string>;
type Yaml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---- the code's side ------------------------------------------------------------------------------------------

/** The routes of the operations controller, from Nest's own metadata, as paths from the server's root. */
function operationRoutes(): Set<string> {
  const prefix = String(Reflect.getMetadata(PATH_METADATA, OperationsController) ?? '/');
  const prototype = OperationsController.prototype as unknown as Record<string, unknown>;
  const routes = Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== 'constructor')
    .map((name) => prototype[name])
    .filter((method): method is object => typeof method === 'function' && Reflect.hasMetadata(PATH_METADATA, method))
    .map((method) => posix.join('/', prefix, String(Reflect.getMetadata(PATH_METADATA, method))));
  return new Set(routes);
}

/** What `npm start` runs once the build is done: package.json's start script after `npm run build && `. */
function startCommand(): string[] {
  const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start;
  const [build, run, ...rest] = start.split(' && ');
  expect(build).toBe('npm run build');
  expect(rest).toEqual([]);
  return run.split(' ');
}

// ---- the Dockerfile -------------------------------------------------------------------------------------------

interface Instruction { keyword: string; args: string }
interface Stage { name?: string; from: string; instructions: Instruction[] }

/** Stages and their instructions: comment lines dropped, continuation lines joined, FROM's build arguments applied. */
function parseDockerfile(text: string): Stage[] {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  const logical = lines.join('\n').replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter(Boolean);
  const globalArgs: Env = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image, as, name] = args.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string, b: string) => globalArgs[a ?? b] ?? '').split(/\s+/);
      stages.push({ from: image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (upper === 'ARG') {
        const [name, value = ''] = args.split('=');
        globalArgs[name] = value;
      }
    } else {
      stages[stages.length - 1].instructions.push({ keyword: upper, args });
    }
  }
  return stages;
}

const execForm = (args: string): string[] => {
  expect(args.startsWith('[')).toBe(true);
  return JSON.parse(args) as string[];
};

/** ENV lines of a stage: `ENV A=1 B=2` and the old `ENV A 1`. */
function stageEnv(stage: Stage): Env {
  const env: Env = {};
  for (const { args } of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    if (!args.includes('=')) {
      const [name, ...value] = args.split(/\s+/);
      env[name] = value.join(' ');
      continue;
    }
    for (const [, name, value] of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[name] = value.replace(/^"|"$/g, '');
  }
  return env;
}

const dockerStages = () => parseDockerfile(read('deploy/Dockerfile'));
const runtimeStage = () => dockerStages().at(-1)!;
const imageEnv = () => stageEnv(runtimeStage());

// ---- env and connection strings -------------------------------------------------------------------------------

/** Compose's interpolation with nothing set: `${X:-default}` and `${X-default}` give the default, `$$` a `$`. */
function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{(\w+)(?::?-([^}]*))?\}/g, (whole, name: string | undefined, fallback: string | undefined) => {
    if (whole === '$$') return '$';
    if (fallback === undefined) throw new Error(`\${${name}} has no default: compose would need it set`);
    return fallback;
  });
}

/** Every variable must be one Kansli reads, and the values together must pass its configuration. */
function expectKansliEnv(env: Env, where: string): void {
  const unknown = Object.keys(env).filter((name) => !(CONFIG_VARIABLES as readonly string[]).includes(name));
  expect({ where, unknown }).toEqual({ where, unknown: [] });
  expect(() => loadConfig(env)).not.toThrow();
}

/** The mount whose target holds `path`, among `target → source` mounts. */
const mountHolding = <M extends { source: string; target: string }>(mounts: M[], path: string): M | undefined =>
  mounts.filter((mount) => path === mount.target || path.startsWith(`${mount.target.replace(/\/$/, '')}/`)).sort((a, b) => b.target.length - a.target.length)[0];

// ---- compose --------------------------------------------------------------------------------------------------

const compose = (): Yaml => parse(read('deploy/compose.yaml'), { merge: true }) as Yaml;

/** A service's environment (map or list form), interpolated. */
function serviceEnv(service: Yaml): Env {
  const raw = (service.environment ?? {}) as Record<string, unknown> | string[];
  const entries = Array.isArray(raw) ? raw.map((line) => line.split(/=(.*)/s).slice(0, 2)) : Object.entries(raw);
  return Object.fromEntries(entries.map(([name, value]) => [name, interpolate(String(value ?? ''))]));
}

/** `volume:/target[:ro]` entries as source and target. */
const serviceMounts = (service: Yaml) =>
  ((service.volumes ?? []) as string[]).map((entry) => {
    const [source, target, mode] = entry.split(':');
    return { source, target, readOnly: mode === 'ro' };
  });

/** Services built from deploy/Dockerfile (the path of a build relative to deploy/, where compose.yaml is). */
function kansliServices(file: Yaml): Array<[string, Yaml]> {
  return Object.entries(file.services as Record<string, Yaml>).filter(
    ([, service]) => service.build && posix.join('deploy', service.build.context ?? '.', service.build.dockerfile ?? 'Dockerfile') === 'deploy/Dockerfile',
  );
}

const kurrentDbServices = (file: Yaml) => Object.entries(file.services as Record<string, Yaml>).filter(([, service]) => /\/kurrentdb:/.test(String(service.image)));

/** The URL a healthcheck command asks (`fetch('http://127.0.0.1:4000/readyz')`, `curl … https://host:2113/…`). */
function healthcheckUrl(service: Yaml): URL {
  const command = ([] as string[]).concat(service.healthcheck?.test ?? []).join(' ');
  const match = /https?:\/\/[^\s'"`]+/.exec(command);
  if (!match) throw new Error(`no URL in the healthcheck ${command}`);
  return new URL(match[0]);
}

// ---- nginx ----------------------------------------------------------------------------------------------------

/** The directives of an nginx block (`upstream kansli`, `location = /graphql`), comments dropped. */
function nginxBlock(conf: string, header: RegExp): string {
  const text = conf.replace(/#[^\n]*/g, '');
  const start = text.search(header);
  if (start === -1) throw new Error(`no block ${header} in nginx.conf`);
  let depth = 0;
  for (let i = text.indexOf('{', start); i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`unbalanced block ${header}`);
}

// ---- Kubernetes -----------------------------------------------------------------------------------------------

const K8S = 'deploy/kubernetes';
const manifestFiles = () => readdirSync(join(ROOT, K8S)).filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml');
function manifests(): Yaml[] {
  return manifestFiles().flatMap((file) =>
    parseAllDocuments(read(`${K8S}/${file}`)).map((doc) => {
      expect(doc.errors).toEqual([]);
      return { ...(doc.toJS() as Yaml), file };
    }),
  );
}
const one = (kind: string) => {
  const found = manifests().filter((m) => m.kind === kind);
  expect(found.map((m) => m.kind)).toEqual([kind]);
  return found[0];
};
/** The replicas behind the Service, and the one pod that delivers webhooks. */
const deploymentNamed = (name: string) => {
  const found = manifests().filter((m) => m.kind === 'Deployment' && m.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
};
const SERVER = 'kansli';
const WEBHOOKS = 'kansli-webhooks';
const kansliContainer = (deployment: Yaml): Yaml => (deployment.spec.template.spec.containers as Yaml[]).find((c) => c.name === 'kansli')!;
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

/** A pod's env as Kansli sees it: the image's ENV, envFrom ConfigMaps/Secrets, env values and secretKeyRefs. */
function podEnv(container: Yaml): { env: Env; secretKeys: Array<{ name: string; key: string }> } {
  const env: Env = { ...imageEnv() };
  const secretKeys: Array<{ name: string; key: string }> = [];
  const byName = (kind: string, name: string) => manifests().find((m) => m.kind === kind && m.metadata.name === name);
  for (const from of (container.envFrom ?? []) as Yaml[]) {
    const source = from.configMapRef ? byName('ConfigMap', from.configMapRef.name) : byName('Secret', from.secretRef?.name);
    expect(source).toBeDefined();
    Object.assign(env, source!.data ?? {}, source!.stringData ?? {});
  }
  for (const variable of (container.env ?? []) as Yaml[]) {
    if (variable.value !== undefined) env[variable.name] = String(variable.value);
    const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
    if (!ref) continue;
    const kind = variable.valueFrom.secretKeyRef ? 'Secret' : 'ConfigMap';
    const source = byName(kind, ref.name);
    expect({ variable: variable.name, kind, name: ref.name, found: source !== undefined }).toEqual({ variable: variable.name, kind, name: ref.name, found: true });
    const values = { ...(source!.data ?? {}), ...(source!.stringData ?? {}) } as Env;
    expect(Object.keys(values)).toContain(ref.key);
    env[variable.name] = values[ref.key];
    if (kind === 'Secret') secretKeys.push({ name: ref.name, key: ref.key });
  }
  return { env, secretKeys };
}

/** A container port given by number or by name. */
const containerPort = (container: Yaml, port: number | string) =>
  typeof port === 'number' ? port : (container.ports as Yaml[]).find((p) => p.name === port)?.containerPort;

// ===============================================================================================================

describe('deploy/Dockerfile', () => {
  it('builds in one stage and runs in another, from Node 20 slim', () => {
    const stages = dockerStages();
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtimeStage().from).toMatch(/^node:20[.-].*slim/);
    expect(stages.slice(0, -1).some((stage) => stage.instructions.some((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args)))).toBe(true);
  });

  it('runs as a non-root user the command `npm start` runs after building, in exec form', () => {
    const runtime = runtimeStage().instructions;
    const user = runtime.filter((i) => i.keyword === 'USER').at(-1);
    expect(user?.args).toBeDefined();
    expect(user!.args.split(':')[0]).not.toMatch(/^(root|0)$/);
    const cmd = runtime.filter((i) => i.keyword === 'CMD').at(-1)!;
    expect(runtime.indexOf(user!)).toBeLessThan(runtime.indexOf(cmd));
    expect(execForm(cmd.args)).toEqual(startCommand());
    expect(runtime.some((i) => i.keyword === 'ENTRYPOINT')).toBe(false);
  });

  it('ships production dependencies only: node_modules come from a stage that pruned the devDependencies', () => {
    const stages = dockerStages();
    const runtime = runtimeStage();
    const modules = runtime.instructions.filter((i) => i.keyword === 'COPY' && /\bnode_modules\b/.test(i.args));
    expect(modules).toHaveLength(1);
    const from = /--from=(\S+)/.exec(modules[0].args)?.[1];
    const builder = stages.find((stage) => stage.name === from);
    expect(builder).toBeDefined();
    const npm = builder!.instructions.filter((i) => i.keyword === 'RUN' && /\bnpm (install|ci|prune)\b/.test(i.args)).map((i) => i.args);
    const last = npm.at(-1) ?? '';
    expect(last).toMatch(/npm (prune|install|ci)\b[^&]*--omit=dev/);
    // Nothing in the runtime stage installs more.
    expect(runtime.instructions.some((i) => i.keyword === 'RUN' && /\bnpm (install|ci)\b/.test(i.args))).toBe(false);
  });

  it('copies what the start command and the CLI run into the working directory', () => {
    const runtime = runtimeStage().instructions;
    const workdir = runtime.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args ?? '/';
    const targets = runtime.filter((i) => i.keyword === 'COPY').map((i) => posix.resolve(workdir, i.args.split(/\s+/).at(-1)!));
    for (const file of [startCommand()[1], 'dist/apps/kansli/src/cli/main.js', 'dist/libs/api/src/index.js']) {
      const path = posix.resolve(workdir, file);
      expect({ file, copied: targets.some((target) => path.startsWith(`${target}/`)) }).toEqual({ file, copied: true });
    }
  });

  it('sets only variables Kansli reads, keeps KANSLI_DATA_DIR as a volume, exposes the port it listens on', () => {
    const env = imageEnv();
    expectKansliEnv(env, 'Dockerfile');
    const runtime = runtimeStage().instructions;
    const volumes = runtime.filter((i) => i.keyword === 'VOLUME').flatMap((i) => (i.args.startsWith('[') ? execForm(i.args) : i.args.split(/\s+/)));
    expect(volumes).toContain(env.KANSLI_DATA_DIR);
    const exposed = runtime.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/).map((port) => Number(port.split('/')[0])));
    expect(exposed).toEqual([loadConfig(env).port]);
  });

  it('has a healthcheck that asks a route the server has', () => {
    const check = runtimeStage().instructions.find((i) => i.keyword === 'HEALTHCHECK');
    if (!check) return;
    const path = /\/[a-z]+(?=')/.exec(check.args)?.[0];
    expect(operationRoutes()).toContain(path);
  });
});

describe('deploy/compose.yaml', () => {
  it('runs a three-node KurrentDB cluster with TLS from the certificates its one-shot service makes', () => {
    const file = compose();
    const nodes = kurrentDbServices(file);
    expect(nodes).toHaveLength(3);
    const certs = Object.entries(file.services as Record<string, Yaml>).find(([, service]) => /es-gencert-cli/.test(String(service.image)));
    expect(certs).toBeDefined();
    const [certsName, certsService] = certs!;
    const script = ([] as string[]).concat(certsService.command).join(' ');
    const addresses = new Map(nodes.map(([name, node]) => [name, Object.values(node.networks ?? {}).map((n) => (n as Yaml | null)?.ipv4_address)[0] as string]));
    for (const [name, node] of nodes) {
      const env = serviceEnv(node);
      expect(env.KURRENTDB_CLUSTER_SIZE).toBe('3');
      expect(env.KURRENTDB_INSECURE ?? 'false').toBe('false');
      expect(node.depends_on?.[certsName]?.condition).toBe('service_completed_successfully');
      const mounts = serviceMounts(node);
      for (const variable of ['KURRENTDB_CERTIFICATE_FILE', 'KURRENTDB_CERTIFICATE_PRIVATE_KEY_FILE', 'KURRENTDB_TRUSTED_ROOT_CERTIFICATES_PATH']) {
        const path = env[variable];
        expect({ name, variable, set: Boolean(path) }).toEqual({ name, variable, set: true });
        // The file lies in a volume the certificate service writes into.
        const mount = mountHolding(mounts, path);
        expect({ name, variable, volume: mount?.source }).toEqual({ name, variable, volume: expect.any(String) });
        const written = serviceMounts(certsService).find((m) => m.source === mount!.source);
        expect({ name, variable, writtenBy: written?.target }).toEqual({ name, variable, writtenBy: expect.any(String) });
        if (variable !== 'KURRENTDB_TRUSTED_ROOT_CERTIFICATES_PATH') {
          // …and the service creates that node's certificate there (-out <its folder>).
          const folder = posix.dirname(posix.join(written!.target, posix.relative(mount!.target, path)));
          expect(script.replace(/\$\$n/g, name.slice(-1))).toContain(`-out ${folder}`);
        }
      }
      // Gossip: the other two nodes, by the addresses their certificates name.
      const others = nodes.filter(([other]) => other !== name).map(([other]) => `${addresses.get(other)}:2113`);
      expect(env.KURRENTDB_GOSSIP_SEED.split(',').sort()).toEqual(others.sort());
      expect(script).toContain(`-dns-names ${'kurrentdb-$$n'}`);
      expect(env.KURRENTDB_ADVERTISE_HOST_TO_CLIENT_AS).toBe(name);
      expect(healthcheckUrl(node).port).toBe('2113');
    }
  });

  it('gives Kansli containers only variables Kansli reads, with values its configuration accepts', () => {
    const services = kansliServices(compose());
    expect(services.map(([name]) => name).sort()).toEqual(['kansli-1', 'kansli-2', 'kansli-keys']);
    for (const [name, service] of services) {
      expect({ name, envFile: service.env_file }).toEqual({ name, envFile: undefined });
      expectKansliEnv({ ...imageEnv(), ...serviceEnv(service) }, `compose service ${name}`);
    }
  });

  it('has exactly one replica deliver webhooks, and both read the address nginx forwards', () => {
    const replicas = kansliServices(compose()).filter(([name]) => name !== 'kansli-keys');
    const config = (service: Yaml) => loadConfig({ ...imageEnv(), ...serviceEnv(service) });
    expect(replicas.filter(([, service]) => config(service).webhooks.deliver).map(([name]) => name)).toEqual(['kansli-1']);
    for (const [, service] of replicas) expect(config(service).limits.trustProxyHops).toBe(1);
  });

  it('points the replicas at the three nodes over TLS, checked against the CA the certificate service made', () => {
    const file = compose();
    const nodes = kurrentDbServices(file).map(([name]) => name);
    const certs = Object.values(file.services as Record<string, Yaml>).find((service) => /es-gencert-cli/.test(String(service.image)))!;
    for (const [name, service] of kansliServices(file)) {
      const env = { ...imageEnv(), ...serviceEnv(service) };
      const options = parseConnectionString(env.KANSLI_EVENTSTORE);
      expect(options.hosts.map((host) => `${host.address}:${host.port}`).sort()).toEqual(nodes.map((node) => `${node}:2113`).sort());
      expect(options.tls).toBe(true);
      expect(options.tlsCAFile).toBeDefined();
      if (name === 'kansli-keys') continue;
      const mount = mountHolding(serviceMounts(service), options.tlsCAFile!);
      expect({ name, caVolume: mount?.source }).toEqual({ name, caVolume: expect.any(String) });
      const written = serviceMounts(certs).find((m) => m.source === mount!.source)!;
      expect(written).toBeDefined();
      expect(([] as string[]).concat(certs.command).join(' ')).toContain(posix.join(written.target, posix.relative(mount!.target, options.tlsCAFile!)));
      for (const node of nodes) expect(service.depends_on?.[node]?.condition).toBe('service_healthy');
    }
  });

  it('runs two replicas with their own data volumes and the one keys volume that kansli-keys fills first', () => {
    const file = compose();
    const services = Object.fromEntries(kansliServices(file));
    const keys = services['kansli-keys'];
    expect(keys.command).toEqual([...startCommand().slice(0, 1), 'dist/apps/kansli/src/cli/main.js', 'keys']);
    const cli = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.kansli;
    expect(cli.endsWith(keys.command.slice(0, 2).join(' '))).toBe(true);
    const keysEnv = { ...imageEnv(), ...serviceEnv(keys) };
    const keysVolume = mountHolding(serviceMounts(keys), keysEnv.KANSLI_SECRETS_DIR)?.source;
    expect(keysVolume).toBeDefined();
    const replicas = ['kansli-1', 'kansli-2'].map((name) => ({ name, service: services[name], env: { ...imageEnv(), ...serviceEnv(services[name]) } }));
    const dataVolumes = replicas.map(({ service, env }) => {
      expect(service.command).toBeUndefined();
      expect(service.depends_on?.['kansli-keys']?.condition).toBe('service_completed_successfully');
      const mounts = serviceMounts(service);
      const secrets = mountHolding(mounts, env.KANSLI_SECRETS_DIR);
      expect(secrets?.source).toBe(keysVolume);
      // The server sets the key files' mode when it loads them: a read-only mount would refuse it.
      expect(secrets?.readOnly).toBe(false);
      const data = mounts.find((m) => m.target === env.KANSLI_DATA_DIR);
      expect(data?.source).toMatch(/^[\w-]+$/);
      expect(Object.keys(file.volumes)).toContain(data!.source);
      return data!.source;
    });
    expect(new Set(dataVolumes).size).toBe(replicas.length);
    expect(dataVolumes).not.toContain(keysVolume);
  });

  it('probes the replicas at routes the server has, on the port it listens on', () => {
    const routes = operationRoutes();
    for (const [name, service] of kansliServices(compose()).filter(([n]) => n !== 'kansli-keys')) {
      const url = healthcheckUrl(service);
      const env = { ...imageEnv(), ...serviceEnv(service) };
      expect({ name, path: url.pathname, port: Number(url.port) }).toEqual({ name, path: '/readyz', port: loadConfig(env).port });
      expect(routes).toContain(url.pathname);
    }
  });

  it('puts nginx in front of both replicas, sticky by token, with WebSocket upgrades for /graphql', () => {
    const file = compose();
    const proxy = (file.services as Record<string, Yaml>).proxy;
    expect(proxy.image).toMatch(/^nginx:/);
    expect(serviceMounts(proxy)).toContainEqual({ source: './nginx.conf', target: '/etc/nginx/nginx.conf', readOnly: true });
    const replicas = kansliServices(file).filter(([name]) => name !== 'kansli-keys');
    for (const [name] of replicas) expect(proxy.depends_on?.[name]?.condition).toBe('service_healthy');
    const conf = read('deploy/nginx.conf');
    const upstream = nginxBlock(conf, /upstream\s+kansli\s*\{/);
    expect(upstream).toMatch(/^\s*hash \$http_authorization consistent;/m);
    const servers = [...upstream.matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)].map(([, host, port]) => `${host}:${port}`);
    expect(servers.sort()).toEqual(replicas.map(([name, service]) => `${name}:${loadConfig({ ...imageEnv(), ...serviceEnv(service) }).port}`).sort());
    const graphql = nginxBlock(conf, /location\s+=\s+\/graphql\s*\{/);
    const server = nginxBlock(conf, /server\s*\{/);
    const headers = `${graphql}\n${server.replace(graphql, '')}`;
    expect(headers).toMatch(/proxy_http_version 1\.1;/);
    expect(headers).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(headers).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(graphql).toMatch(/proxy_pass http:\/\/kansli;/);
    expect(conf).toMatch(/map \$http_upgrade \$connection_upgrade/);
  });
});

describe('deploy/kubernetes', () => {
  it('lists every manifest but the Secret template in its kustomization', () => {
    const kustomization = parse(read(`${K8S}/kustomization.yaml`)) as Yaml;
    expect([...(kustomization.resources as string[])].sort()).toEqual(manifestFiles().filter((file) => file !== 'secret.example.yaml').sort());
    expect(manifests().find((m) => m.file === 'secret.example.yaml')?.kind).toBe('Secret');
  });

  it.each([SERVER, WEBHOOKS])('gives the Deployment %s only variables Kansli reads, from the ConfigMap and the Secret, with values its configuration accepts', (name) => {
    const deployment = deploymentNamed(name);
    const container = kansliContainer(deployment);
    const { env, secretKeys } = podEnv(container);
    expectKansliEnv(env, 'Deployment');
    expect(secretKeys.map((ref) => ref.key)).toContain('KANSLI_EVENTSTORE');
    const options = parseConnectionString(env.KANSLI_EVENTSTORE);
    expect(options.tls).toBe(true);
    // The CA file the connection string names is mounted there, from a key the Secret has.
    const volumes = deployment.spec.template.spec.volumes as Yaml[];
    const caMount = (container.volumeMounts as Yaml[]).find((m) => m.mountPath === options.tlsCAFile);
    expect(caMount).toBeDefined();
    const caVolume = volumes.find((v) => v.name === caMount!.name)!;
    const secret = one('Secret');
    expect(caVolume.secret.secretName).toBe(secret.metadata.name);
    expect(Object.keys(secret.stringData)).toContain(caMount!.subPath);
  });

  it.each([SERVER, WEBHOOKS])('has the keys Kansli shares copied from the Secret into KANSLI_SECRETS_DIR in %s, and every key it references exists', (name) => {
    const deployment = deploymentNamed(name);
    const pod = deployment.spec.template.spec;
    const container = kansliContainer(deployment);
    const { env, secretKeys } = podEnv(container);
    const secret = one('Secret');
    const secretData = Object.keys({ ...(secret.data ?? {}), ...(secret.stringData ?? {}) });
    for (const ref of secretKeys) {
      expect(ref.name).toBe(secret.metadata.name);
      expect(secretData).toContain(ref.key);
    }
    const secretVolumes = (pod.volumes as Yaml[]).filter((v) => v.secret);
    for (const volume of secretVolumes) {
      expect(volume.secret.secretName).toBe(secret.metadata.name);
      for (const item of volume.secret.items ?? []) expect(secretData).toContain(item.key);
    }
    const keysMount = (container.volumeMounts as Yaml[]).find((m) => m.mountPath === env.KANSLI_SECRETS_DIR)!;
    expect(keysMount).toBeDefined();
    expect((pod.volumes as Yaml[]).find((v) => v.name === keysMount.name)?.emptyDir).toBeDefined();
    const init = (pod.initContainers as Yaml[]).find((c) => (c.volumeMounts as Yaml[]).some((m) => m.name === keysMount.name))!;
    expect(init.image).toBe(container.image);
    expect(init.securityContext).toEqual(container.securityContext);
    const copy = (init.command as string[]).join(' ');
    const source = (init.volumeMounts as Yaml[]).find((m) => secretVolumes.some((v) => v.name === m.name))!;
    const items = (secretVolumes.find((v) => v.name === source.name)!.secret.items as Yaml[]).map((item) => item.path);
    for (const file of KEY_FILES) {
      expect(items).toContain(file);
      expect(copy).toContain(posix.join(source.mountPath, file));
    }
    expect(copy).toContain(`${(init.volumeMounts as Yaml[]).find((m) => m.name === keysMount.name)!.mountPath}/`);
  });

  it.each([SERVER, WEBHOOKS])('runs %s as non-root with a read-only root, KANSLI_DATA_DIR on a volume, resources set', (name) => {
    const deployment = deploymentNamed(name);
    const pod = deployment.spec.template.spec;
    const container = kansliContainer(deployment);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    for (const c of [...(pod.initContainers ?? []), ...pod.containers] as Yaml[]) {
      expect(c.securityContext.runAsNonRoot ?? pod.securityContext.runAsNonRoot).toBe(true);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(c.resources.requests).toEqual({ cpu: expect.anything(), memory: expect.anything() });
      expect(c.resources.limits.memory).toBeDefined();
    }
    const { env } = podEnv(container);
    const writable = (container.volumeMounts as Yaml[]).filter((m) => !m.readOnly).map((m) => m.mountPath);
    expect(writable).toEqual(expect.arrayContaining([env.KANSLI_DATA_DIR, env.KANSLI_SECRETS_DIR, '/tmp']));
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(30);
  });

  it.each([SERVER, WEBHOOKS])('probes %s for liveness, readiness and startup at routes the server has, on the port it listens on', (name) => {
    const deployment = deploymentNamed(name);
    const container = kansliContainer(deployment);
    const port = loadConfig(podEnv(container).env).port;
    const routes = operationRoutes();
    const probes = { livenessProbe: '/healthz', readinessProbe: '/readyz', startupProbe: '/healthz' };
    for (const [probe, path] of Object.entries(probes)) {
      const get = container[probe]?.httpGet;
      expect({ probe, path: get?.path, port: containerPort(container, get?.port) }).toEqual({ probe, path, port });
      expect(routes).toContain(get.path);
    }
    expect(containerPort(container, 'http')).toBe(port);
  });

  it('runs at least two replicas behind the Service, none of them delivering webhooks; one pod, never two, delivers them', () => {
    const server = deploymentNamed(SERVER);
    expect(server.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(loadConfig(podEnv(kansliContainer(server)).env).webhooks.deliver).toBe(false);
    const webhooks = deploymentNamed(WEBHOOKS);
    expect(webhooks.spec.replicas).toBe(1);
    expect(webhooks.spec.strategy).toEqual({ type: 'Recreate' });
    expect(loadConfig(podEnv(kansliContainer(webhooks)).env).webhooks.deliver).toBe(true);
    expect(manifests().filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name).sort()).toEqual([SERVER, WEBHOOKS]);
  });

  it('has a Service and a PodDisruptionBudget that select the replicas\' pods (not the webhook sender\'s), and the Service reaches their port', () => {
    const deployment = deploymentNamed(SERVER);
    const labels = deployment.spec.template.metadata.labels as Record<string, string>;
    expect(selects(deployment.spec.selector.matchLabels, labels)).toBe(true);
    const service = one('Service');
    expect(selects(service.spec.selector, labels)).toBe(true);
    const sender = deploymentNamed(WEBHOOKS).spec.template.metadata.labels as Record<string, string>;
    expect(selects(service.spec.selector, sender)).toBe(false);
    expect(selects(one('PodDisruptionBudget').spec.selector.matchLabels, sender)).toBe(false);
    expect(selects(deploymentNamed(WEBHOOKS).spec.selector.matchLabels, labels)).toBe(false);
    const container = kansliContainer(deployment);
    const port = loadConfig(podEnv(container).env).port;
    for (const p of service.spec.ports as Yaml[]) expect(containerPort(container, p.targetPort)).toBe(port);
    const budget = one('PodDisruptionBudget');
    expect(selects(budget.spec.selector.matchLabels, labels)).toBe(true);
    expect(budget.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    const ingress = manifests().find((m) => m.kind === 'Ingress');
    if (ingress) {
      const backends = (ingress.spec.rules as Yaml[]).flatMap((rule) => (rule.http.paths as Yaml[]).map((path) => path.backend.service));
      for (const backend of backends) {
        expect(backend.name).toBe(service.metadata.name);
        expect((service.spec.ports as Yaml[]).map((p) => p.name)).toContain(backend.port.name);
      }
      expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/upstream-hash-by']).toBe('$http_authorization');
    }
  });
});

describe('the server these files start', () => {
  it('serves its probes at the root (no global prefix)', () => {
    expect(operationRoutes()).toEqual(new Set(['/healthz', '/readyz', '/metrics']));
    for (const file of ['apps/kansli/src/main.ts', 'apps/kansli/src/configure-app.ts']) expect(read(file)).not.toContain('setGlobalPrefix');
  });

  it('reads no file at run time beyond dist/ and node_modules/ that the image would lack', () => {
    // The image has dist/apps, dist/libs and node_modules. Code that reads a repository file by a path made from
    // __dirname (schemas/, fonts…) would break there; the only files read at run time are in packages (resolved with
    // require.resolve) or in the data and keys folders.
    const sources = ['apps/kansli/src', 'libs'].flatMap((dir) => sourceFiles(dir));
    const offenders = sources.filter((file) => /__dirname|process\.cwd\(\)/.test(read(file)));
    expect(offenders).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' || entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.(spec|contract)\.ts$/.test(entry.name) ? [path] : [];
  });
}
