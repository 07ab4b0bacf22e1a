import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";

/** A moto server (the local AWS API emulator from PyPI) on a free loopback port, owned by a test suite. */
export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Credentials moto accepts; never real ones. */
export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };

const MOTO_BIN = path.resolve(__dirname, "..", "..", ".venv", "bin", "moto_server");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited with ${child.exitCode}:\n${log()}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 20 s:\n${log()}`);
}

/** Starts `.venv/bin/moto_server` (installed by scripts/setup-python.sh) and waits until it answers. */
export async function startMoto(): Promise<MotoServer> {
  if (!fs.existsSync(MOTO_BIN)) {
    throw new Error(`${MOTO_BIN} not found: run bash scripts/setup-python.sh (the test command does)`);
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(MOTO_BIN, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  await waitUntilServing(endpoint, child, () => output);
  return {
    endpoint,
    port,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
