export { OpenStackSimulator } from './simulator';
export type { SimulatorOptions, SimUser, SimAppCredential, TlsMaterial, RequestLogEntry } from './simulator';
export { FaultPlan } from './faults';
export type { FaultAction, FaultRule } from './faults';
export { selfSignedCertificate } from './certs';
export { simulatorCloud } from './cloud';
