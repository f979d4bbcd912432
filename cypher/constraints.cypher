// Constraints and indexes, generated from schemas/schema.yaml by kg.neo4j.writer; run before loading.
CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (p:Paper) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT result_id IF NOT EXISTS FOR (r:Result) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT entity_key IF NOT EXISTS FOR (e:Entity) REQUIRE e.key IS UNIQUE;
CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name);
CREATE INDEX model_name IF NOT EXISTS FOR (e:Model) ON (e.name);
CREATE INDEX method_name IF NOT EXISTS FOR (e:Method) ON (e.name);
CREATE INDEX dataset_name IF NOT EXISTS FOR (e:Dataset) ON (e.name);
CREATE INDEX benchmark_name IF NOT EXISTS FOR (e:Benchmark) ON (e.name);
CREATE INDEX hardware_name IF NOT EXISTS FOR (e:Hardware) ON (e.name);
CREATE INDEX task_name IF NOT EXISTS FOR (e:Task) ON (e.name);
CREATE INDEX metric_name IF NOT EXISTS FOR (e:Metric) ON (e.name);
