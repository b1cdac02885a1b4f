// Every place this project changes how a library behaves from the inside (its internals, not its options), with
// the library versions each was verified against. Nothing else in src/ may reach into a library's internals:
// test/architecture/library-patches.test.ts fails on a file that does and is not listed here, and on an installed
// version other than the one a patch was verified against (re-verify the patch, run its tests, update its pin).
import { VERIFIED_AGAINST as SQLITE_DRIVER } from './db/sqlite-driver-patches';
import { VERIFIED_AGAINST as SESSION } from './http/session-change-check';

export interface LibraryPatch {
  /** The module that holds the patch (its header says what it changes and which internal it relies on). */
  module: string;
  /** Package name → the exact version the patch was verified against. */
  verifiedAgainst: Readonly<Record<string, string>>;
  /** The tests that check the patch's behaviour. */
  tests: readonly string[];
}

export const LIBRARY_PATCHES: readonly LibraryPatch[] = [
  {
    module: 'src/db/sqlite-driver-patches.ts',
    verifiedAgainst: SQLITE_DRIVER,
    tests: ['test/db/sqlite-driver-patches.test.ts'],
  },
  {
    module: 'src/http/session-change-check.ts',
    verifiedAgainst: SESSION,
    tests: ['test/http/session-writes.test.ts'],
  },
];
