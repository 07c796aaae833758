export * from './principal';
export * from './signing-key';
export * from './token-verifier';
