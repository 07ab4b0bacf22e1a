import { CreateWorkGroupCommand } from "@aws-sdk/client-athena";
import { AwsClients, destroyAwsClients } from "../../components/iceberg-table/aws-clients";
import { emulatorEnvironment, useEnvironment } from "../helpers/aws-environment";
import { emulatorClients } from "../helpers/emulator-clients";
import { resetMoto } from "../helpers/moto-athena";
import { MotoServer, startMoto } from "../helpers/moto-server";
import { captureProviderLog } from "../helpers/provider-log";
import { WORKGROUP } from "./orders-fixture";

/** What a provider suite against moto works with; filled in by the hooks `useMotoSuite` registers. */
export interface MotoSuite {
  readonly moto: MotoServer;
  /** The test's own clients on moto (to seed and inspect it). */
  readonly aws: AwsClients;
  /** The providers' log lines of the current test. */
  readonly logs: string[];
}

/**
 * Registers the hooks of a suite that runs the IcebergTable provider against moto: moto started once,
 * the providers pointed at it through the environment (as the engine's provider process is), and
 * before each test an empty moto with the workgroup and a fresh capture of the providers' log.
 */
export function useMotoSuite(): MotoSuite {
  const suite = { logs: [] as string[] } as { moto: MotoServer; aws: AwsClients; logs: string[] };
  let restoreEnvironment: () => void = () => undefined;
  let restoreLog: () => void = () => undefined;
  before(async () => {
    suite.moto = await startMoto();
    suite.aws = emulatorClients(suite.moto.endpoint);
    restoreEnvironment = useEnvironment(emulatorEnvironment(suite.moto.endpoint));
  });
  after(async () => {
    restoreEnvironment();
    destroyAwsClients(suite.aws);
    await suite.moto.stop();
  });
  beforeEach(async () => {
    const captured = captureProviderLog();
    suite.logs = captured.lines;
    restoreLog = captured.restore;
    await resetMoto(suite.moto.endpoint);
    await suite.aws.athena.send(new CreateWorkGroupCommand({ Name: WORKGROUP }));
  });
  afterEach(() => restoreLog());
  return suite;
}
