// The PFS rules of @telegram-mt/client's sans-IO pfs module (binding
// checks, the temp ↔ perm table, the call gate). The client does not export
// that module from `@telegram-mt/client/mtproto` yet, so it is taken from
// the client's build by path; when it is exported, only this file changes.
export {
  acceptBindTempAuthKey,
  checkCallOnKey,
  isTempKeyExpired,
  TempKeyBindings,
  UNBOUND_TEMP_KEY_METHODS,
} from '../../../packages/client/dist/mtproto/pfs/index.js';
