import * as http from "http";
import * as net from "net";

/** What the proxy answers instead of forwarding a request. */
export interface InjectedFault {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

/**
 * An HTTP proxy in front of the emulator that answers chosen requests with an injected failure
 * (throttling, access denied, ...) and forwards the rest: the SDK's real retry and error handling run.
 */
export interface FaultProxy {
  readonly endpoint: string;
  /** Requests seen, as `METHOD path`. */
  readonly requests: string[];
  close(): Promise<void>;
}

export function startFaultProxy(
  targetPort: number,
  faultFor: (request: http.IncomingMessage, index: number) => InjectedFault | undefined,
): Promise<FaultProxy> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const index = requests.push(`${request.method} ${request.url}`) - 1;
    const fault = faultFor(request, index);
    if (fault !== undefined) {
      request.resume();
      response.writeHead(fault.status, { "content-type": "application/xml", ...(fault.headers ?? {}) });
      response.end(fault.body);
      return;
    }
    request.pipe(
      forwardTo(targetPort, request, (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      }),
    );
  });
  return listenLocally(server).then((listening) => ({ ...listening, requests }));
}

/** The same request (method, path, headers) to the emulator on `targetPort`; the caller writes the body. */
export function forwardTo(
  targetPort: number,
  request: http.IncomingMessage,
  onReply: (reply: http.IncomingMessage) => void,
): http.ClientRequest {
  const options = { method: request.method, path: request.url, headers: request.headers };
  return http.request({ host: "127.0.0.1", port: targetPort, ...options }, onReply);
}

/** Starts `server` on a free loopback port: its endpoint, and how to stop it. */
export function listenLocally(server: http.Server): Promise<{ endpoint: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/** S3's throttling answer. */
export const S3_SLOW_DOWN: InjectedFault = {
  status: 503,
  body: "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
};
