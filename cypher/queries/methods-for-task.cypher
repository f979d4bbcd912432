// answers: Which models and methods address a task, with how many papers behind each?
// params: task = the task's name, an alias or its key, e.g. image classification
// returns: entity, type, support, papers
MATCH (t:Task)
WHERE toLower($task) IN t.names_lower
MATCH (e:Entity)-[r:ADDRESSES]->(t)
RETURN e.name AS entity, e.type AS type, r.support AS support, r.papers AS papers
ORDER BY support DESC, entity
