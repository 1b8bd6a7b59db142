// Node-side entry of the simulator (serving, building, the development key, the pure machine).
// The browser page itself (page.ts) is only ever bundled, never imported.
export { bundleSimulatorScript, simulatorAssets, writeSimulator } from './build'
export type { SimulatorAsset } from './build'
export { parseTalkCommand, talkCommandActions, talkCommandFields } from './commands'
export { SIMULATOR_JWT_ALGORITHM, SIMULATOR_JWT_AUDIENCE, SIMULATOR_JWT_ISSUER, SIMULATOR_KEY_ID, SIMULATOR_PUBLIC_JWK, SIMULATOR_PUBLIC_JWKS } from './dev-key'
export type { SimulatorPublicJwk } from './dev-key'
export { CALL_ENDING_REASONS, createSimulatorState, DEFAULT_AGENT_LINE, DEFAULT_RECORDING_BASE, handleAction, handleCommand } from './machine'
export type { CallEndingReason, SimulatorAction, SimulatorEffect, SimulatorEnv, SimulatorState, SimulatorStep } from './machine'
export { startSimulatorServer } from './server'
export type { SimulatorServer } from './server'
export type { SimulatorResult, TalkSimulatorApi } from './api'
