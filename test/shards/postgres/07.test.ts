// Shard 7 of the plain test files again, on PostgreSQL (TEST_POSTGRES_URL): see runShardOnPostgres in
// test/helpers/shard.ts. CI runs these beside `npm test`'s files in one tap run (.ci/run).
import { runShardOnPostgres } from '../../helpers/shard';

runShardOnPostgres(7);
