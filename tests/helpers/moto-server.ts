import { ChildProcess, spawn } from "child_process";
import { once } from "events";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { PROJECT_DIR } from "../../config/load";

/**
 * moto server (the local AWS API emulator from requirements.txt) on a free loopback port, started by a
 * test suite and stopped after it. `bash scripts/setup-python.sh` installs it into `.venv`.
 */
export interface MotoServer {
  readonly endpoint: string;
  /** Forgets every resource (between tests). */
  reset(): Promise<void>;
  /** Makes Athena query executions go QUEUED -> RUNNING -> SUCCEEDED, one step per GetQueryExecution. */
  stepThroughQueryStates(): Promise<void>;
  stop(): Promise<void>;
}

export const MOTO_SERVER = path.join(PROJECT_DIR, ".venv", "bin", "moto_server");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited with ${child.exitCode}:\n${output()}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within 30 s:\n${output()}`);
}

async function post(url: string, body?: unknown): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  }
}

export async function startMotoServer(): Promise<MotoServer> {
  if (!fs.existsSync(MOTO_SERVER)) {
    throw new Error(`${MOTO_SERVER} is missing: run \`bash scripts/setup-python.sh\` (scripts/test.sh does)`);
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(MOTO_SERVER, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const collect = (chunk: Buffer) => {
    log = `${log}${chunk.toString()}`.slice(-4000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  try {
    await waitUntilUp(endpoint, child, () => log);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    endpoint,
    reset: () => post(`${endpoint}/moto-api/reset`),
    stepThroughQueryStates: () =>
      post(`${endpoint}/moto-api/state-manager/set-transition`, {
        model_name: "athena::execution",
        transition: { progression: "manual", times: 1 },
      }),
    async stop() {
      if (child.exitCode === null) {
        const exited = once(child, "exit");
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
