// Stack entry point: validated config in, one factory, the outputs out (see components/lakehouse.ts).
import { createLakehouse } from "./components/lakehouse";
import { loadStackConfig } from "./config/load";

export = createLakehouse(loadStackConfig()).outputs;
