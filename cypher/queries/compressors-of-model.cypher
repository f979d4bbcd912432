// answers: What compresses a given model, and how? Each compressing method or model with the papers and sentences that say so, best supported first.
// params: model = the model's name, an alias or its key (case-insensitive), e.g. ResNet-50
// returns: compressor, compressor_type, support, papers, evidence
MATCH (m:Entity)
WHERE toLower($model) IN m.names_lower
MATCH (c:Entity)-[r:COMPRESSES]->(m)
RETURN c.name AS compressor, c.type AS compressor_type, r.support AS support, r.papers AS papers, r.evidence AS evidence
ORDER BY support DESC, compressor
