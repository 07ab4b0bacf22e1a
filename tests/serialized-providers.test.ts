import { expect } from "chai";
import { icebergTableProvider } from "../components/iceberg-table/provider";
import { scriptUploadProvider } from "../components/job-scripts/script-upload-provider";
import { useEnvironment } from "./helpers/aws-environment";
import {
  serializationHazards,
  serializedProvider,
  serializedProviderText,
} from "./helpers/serialized-provider";

/*
 * What the engine stores for each dynamic provider (`__provider`, in plain text in the state): free of
 * constructs the serializer breaks, and free of anything secret. Behaviour on the serialized form is
 * proven by every provider test (tests/iceberg-table/provider-*.test.ts, tests/job-scripts/).
 */

const PRODUCTION_PROVIDERS: [string, () => object][] = [
  ["IcebergTable", () => icebergTableProvider()],
  ["JobScriptUpload", () => scriptUploadProvider()],
];

describe("dynamic providers as the engine stores them", () => {
  for (const [name, make] of PRODUCTION_PROVIDERS) {
    it(`${name}: no construct the serializer breaks`, async () => {
      expect(serializationHazards(await serializedProviderText(make()))).to.deep.equal([]);
    });

    it(`${name}: captures nothing from the environment, credentials included`, async () => {
      const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSERIALIZED";
      const restore = useEnvironment({
        AWS_ACCESS_KEY_ID: "AKIASERIALIZEDTEST01",
        AWS_SECRET_ACCESS_KEY: secret,
        AWS_SESSION_TOKEN: `${secret}-session`,
        AWS_ENDPOINT_URL: "http://127.0.0.1:1",
      });
      try {
        const text = await serializedProviderText(make());
        expect([
          text.includes("AKIASERIALIZEDTEST01"),
          text.includes(secret),
          text.includes("127.0.0.1:1"),
        ]).to.deep.equal([false, false, false]);
        expect(text).not.to.match(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
      } finally {
        restore();
      }
    });
  }

  it("the hazard scan finds an Error subclass and a captured Map (it can fail)", async () => {
    class ProviderError extends Error {}
    const cache = new Map<string, string>([["a", "b"]]);
    const broken = {
      async check() {
        throw new ProviderError(cache.get("a"));
      },
    };
    const text = await serializedProviderText(broken);
    expect(serializationHazards(text)).to.deep.equal([
      "a captured Map instance (serialized as a plain object, its internal state lost)",
      "a class extending Error (serialized, its constructor is Error.call(this, ...))",
    ]);
    const loaded = await serializedProvider(broken);
    const message = await loaded.check().then(
      () => "no error",
      (e: Error) => String(e.message),
    );
    // Called directly it throws ProviderError("b"); serialized, the Map is a plain object.
    expect(message).to.equal("Method Map.prototype.get called on incompatible receiver #<Object>");
  });
});
