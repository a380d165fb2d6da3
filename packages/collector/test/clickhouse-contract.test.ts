import { useClickHouseCluster, clickHouseContractHarness } from './clickhouse-harness.js';
import { describeStorageContract } from './storage-contract.js';

// The same suite as DuckDB's, unchanged, against two real clickhouse-server shards.
const cluster = useClickHouseCluster(2);
describeStorageContract('clickhouse (2 shards)', clickHouseContractHarness(cluster));
