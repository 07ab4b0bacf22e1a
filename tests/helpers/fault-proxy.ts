import * as http from "http";
import * as net from "net";

/** What the proxy answers instead of forwarding a request. */
export interface InjectedFault {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

/** One request as the proxy saw it. */
export interface ProxiedRequest {
  readonly method: string;
  readonly url: string;
  /** `x-amz-target` of JSON-protocol APIs (Athena, Glue), e.g. `AmazonAthena.StartQueryExecution`. */
  readonly target?: string;
  readonly body: string;
}

/**
 * An HTTP proxy in front of the emulator that answers chosen requests with an injected failure
 * (throttling, access denied, an Athena query that FAILED, ...) and forwards the rest: the SDK's real
 * retry and error handling run; an answer may be computed asynchronously (an emulated call that first
 * writes what the real service would leave behind). It works across processes (point AWS_ENDPOINT_URL at it), so the same
 * faults reach a provider the engine runs.
 */
export interface FaultProxy {
  readonly endpoint: string;
  /** Requests seen, as `METHOD path`. */
  readonly requests: string[];
  close(): Promise<void>;
}

export function startFaultProxy(
  targetPort: number,
  faultFor: (
    request: ProxiedRequest,
    index: number,
  ) => InjectedFault | undefined | Promise<InjectedFault | undefined>,
): Promise<FaultProxy> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks);
      const index = requests.push(`${request.method} ${request.url}`) - 1;
      const target = request.headers["x-amz-target"];
      const seen = {
        method: request.method ?? "",
        url: request.url ?? "",
        ...(typeof target === "string" ? { target } : {}),
        body: body.toString("utf8"),
      };
      // An answer may take work (an emulated service writing what it would leave behind).
      const fault = await Promise.resolve(faultFor(seen, index)).catch((error: Error): InjectedFault => ({
        status: 500,
        body: `fault proxy handler failed: ${error.message}`,
      }));
      if (fault !== undefined) {
        response.writeHead(fault.status, { "content-type": "application/xml", ...(fault.headers ?? {}) });
        response.end(fault.body);
        return;
      }
      forwardTo(targetPort, request, (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      }).end(body);
    });
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

/** An answer of a JSON-protocol API (Athena, Glue): a result, or an error of type `errorType`. */
export function jsonApiAnswer(status: number, body: unknown, errorType?: string): InjectedFault {
  return {
    status,
    body: JSON.stringify(body),
    headers: {
      "content-type": "application/x-amz-json-1.1",
      ...(errorType === undefined ? {} : { "x-amzn-errortype": errorType }),
    },
  };
}

/** Athena's throttling answer to StartQueryExecution. */
export const ATHENA_THROTTLED = jsonApiAnswer(
  400,
  { __type: "ThrottlingException", message: "Rate exceeded" },
  "ThrottlingException",
);

/** GetQueryExecution's answer for a query in `state`, with Athena's extra status fields. */
export function athenaQueryState(
  id: string,
  state: string,
  status: Record<string, unknown> = {},
): InjectedFault {
  return jsonApiAnswer(200, {
    QueryExecution: { QueryExecutionId: id, Status: { State: state, ...status } },
  });
}
