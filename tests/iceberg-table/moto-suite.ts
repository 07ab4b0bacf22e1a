import { CreateWorkGroupCommand } from "@aws-sdk/client-athena";
import { AwsClients, destroyAwsClients } from "../../components/iceberg-table/aws-clients";
import { emulatorEnvironment, useEnvironment } from "../helpers/aws-environment";
import { emulatorClients } from "../helpers/emulator-clients";
import { FaultProxy, InjectedFault, ProxiedRequest, startFaultProxy } from "../helpers/fault-proxy";
import { resetMoto } from "../helpers/moto-athena";
import { MotoServer, startMoto } from "../helpers/moto-server";
import { captureProviderLog } from "../helpers/provider-log";
import { WORKGROUP } from "./orders-fixture";

/** What a provider suite against moto works with; filled in by the hooks `useMotoSuite` registers. */
export interface MotoSuite {
  readonly moto: MotoServer;
  /** The test's own clients on moto (to seed and inspect it): never through the proxy. */
  readonly aws: AwsClients;
  /** The providers' log lines of the current test. */
  readonly logs: string[];
  /** The requests the providers sent through the proxy in the current test (empty without a proxy). */
  readonly seen: ProxiedRequest[];
}

/** How the proxy answers a request the providers send: an injected answer, or undefined to pass it to moto. */
export type ProxyAnswer = (
  request: ProxiedRequest,
) => InjectedFault | undefined | Promise<InjectedFault | undefined>;

/**
 * Registers the hooks of a suite that runs the IcebergTable provider against moto: moto started once,
 * the providers pointed at it through the environment (as the engine's provider process is), and
 * before each test an empty moto with the workgroup and a fresh capture of the providers' log. With
 * `answer`, the providers reach moto through a fault proxy that records every request and lets the
 * test inject failures or answer what moto cannot.
 */
export function useMotoSuite(answer?: ProxyAnswer): MotoSuite {
  const suite = { logs: [] as string[], seen: [] as ProxiedRequest[] } as {
    moto: MotoServer;
    aws: AwsClients;
    logs: string[];
    seen: ProxiedRequest[];
  };
  let proxy: FaultProxy | undefined;
  let restoreEnvironment: () => void = () => undefined;
  let restoreLog: () => void = () => undefined;
  before(async () => {
    suite.moto = await startMoto();
    suite.aws = emulatorClients(suite.moto.endpoint);
    if (answer !== undefined) {
      proxy = await startFaultProxy(suite.moto.port, (request) => {
        suite.seen.push(request);
        return answer(request);
      });
    }
    restoreEnvironment = useEnvironment(emulatorEnvironment(proxy?.endpoint ?? suite.moto.endpoint));
  });
  after(async () => {
    restoreEnvironment();
    destroyAwsClients(suite.aws);
    await proxy?.close();
    await suite.moto.stop();
  });
  beforeEach(async () => {
    suite.seen = [];
    const captured = captureProviderLog();
    suite.logs = captured.lines;
    restoreLog = captured.restore;
    await resetMoto(suite.moto.endpoint);
    await suite.aws.athena.send(new CreateWorkGroupCommand({ Name: WORKGROUP }));
  });
  afterEach(() => restoreLog());
  return suite;
}
