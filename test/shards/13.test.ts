// One share of the plain test files, run in this one process: see test/helpers/shard.ts.
import { runShard } from '../helpers/shard';

runShard(13);
