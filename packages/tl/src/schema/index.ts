// The TL language: the AST, the parser, and the canonical form and ids.
export type { TlArg, TlCombinator, TlFlagRef, TlSchema, TlTypeRef } from './ast.js';
export { parseSchema, readDeclarations, type TlDeclaration, type TlDeclarations } from './parser.js';
export { canonicalText, computeCombinatorId, formatCombinator, type FormatOptions } from './format.js';
export { crc32 } from './crc32.js';
