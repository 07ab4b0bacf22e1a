import * as http from "http";
import { forwardTo, listenLocally } from "./fault-proxy";

/** One request through the recorder, with who signed it and what an STS answer issued. */
export interface SignedExchange {
  /** STS query action (`AssumeRole`), JSON target (`AWSGlue.GetTable`), or `S3 <METHOD> <path>`. */
  readonly action: string;
  /** STS parameters other than Action and Version. */
  readonly params: Record<string, string>;
  /** The access key id of the request's SigV4 signature. */
  readonly signedBy: string | undefined;
  /** The region of the signature's credential scope. */
  readonly signedRegion: string | undefined;
  /** The credentials an AssumeRole answer issued. */
  readonly issued?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken: string;
  };
}

export interface SigningRecorder {
  readonly endpoint: string;
  readonly exchanges: SignedExchange[];
  close(): Promise<void>;
}

function tag(text: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]+)</${name}>`).exec(text)?.[1];
}

/**
 * An HTTP proxy in front of moto that records each request's action, parameters, signing key and
 * region, and the credentials STS issued. It proves which settings an SDK client really used: the
 * endpoint (the request came here), the profile (the base key signed), the roles (STS calls, and the
 * issued key signing the service calls), the region (the credential scope). Works across processes.
 */
export function startSigningRecorder(targetPort: number): Promise<SigningRecorder> {
  const exchanges: SignedExchange[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const form = new URLSearchParams(body.toString("utf8"));
      const stsAction = request.headers["content-type"]?.includes("x-www-form-urlencoded")
        ? (form.get("Action") ?? undefined)
        : undefined;
      const target = request.headers["x-amz-target"];
      const action =
        stsAction ??
        (typeof target === "string" ? target : `S3 ${request.method} ${(request.url ?? "").split("?")[0]}`);
      const params =
        stsAction === undefined
          ? {}
          : Object.fromEntries([...form].filter(([key]) => key !== "Action" && key !== "Version"));
      const scope = /Credential=([A-Z0-9]+)\/\d{8}\/([a-z0-9-]+)\//.exec(
        String(request.headers.authorization),
      );
      forwardTo(targetPort, request, (reply) => {
        const answer: Buffer[] = [];
        reply.on("data", (chunk: Buffer) => answer.push(chunk));
        reply.on("end", () => {
          const text = Buffer.concat(answer).toString("utf8");
          const accessKeyId = tag(text, "AccessKeyId");
          exchanges.push({
            action,
            params,
            signedBy: scope?.[1],
            signedRegion: scope?.[2],
            ...(accessKeyId === undefined
              ? {}
              : {
                  issued: {
                    accessKeyId,
                    secretAccessKey: tag(text, "SecretAccessKey") ?? "",
                    sessionToken: tag(text, "SessionToken") ?? "",
                  },
                }),
          });
          response.writeHead(reply.statusCode ?? 502, reply.headers);
          response.end(Buffer.concat(answer));
        });
      }).end(body);
    });
  });
  return listenLocally(server).then((listening) => ({ ...listening, exchanges }));
}
