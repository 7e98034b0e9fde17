package reports

import "github.com/skilltrend/skilltrend"

// Filter values offered to readers. Unknown seniority and work mode are not
// offered: they say nothing a coach can act on.
var (
	roleValues      = []string{"all", "backend", "frontend", "fullstack", "devops", "data", "ml", "mobile", "other"}
	seniorityValues = []string{"all", "intern", "junior", "mid", "senior", "staff+", "lead"}
	workModeValues  = []string{"all", "remote", "hybrid", "onsite"}
)

const defaultRole = string(skilltrend.RoleBackend)

var roleLabels = map[string]string{
	"all": "All roles", "backend": "Backend", "frontend": "Frontend", "fullstack": "Full-stack",
	"devops": "DevOps", "data": "Data", "ml": "Machine learning", "mobile": "Mobile", "other": "Other",
}

var roleWords = map[string]string{
	"backend": "backend", "frontend": "frontend", "fullstack": "full-stack", "devops": "DevOps",
	"data": "data", "ml": "machine-learning", "mobile": "mobile", "other": "other",
}

var seniorityLabels = map[string]string{
	"all": "All levels", "intern": "Intern", "junior": "Junior", "mid": "Mid-level", "senior": "Senior",
	"staff+": "Staff or principal", "lead": "Lead",
}

var seniorityWords = map[string]string{
	"intern": "internship", "junior": "junior", "mid": "mid-level", "senior": "senior",
	"staff+": "staff or principal", "lead": "lead",
}

var workModeLabels = map[string]string{
	"all": "Any", "remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site", "unknown": "Not stated",
}

var workModeWords = map[string]string{"remote": "remote", "hybrid": "hybrid", "onsite": "on-site"}

// categoryInfo names and explains a category for readers.
type categoryInfo struct {
	Title, Plural, Intro string
}

var categoryInfos = map[string]categoryInfo{
	"language":  {"Programming languages", "languages", "The languages jobs ask developers to write in."},
	"framework": {"Frameworks", "frameworks", "Libraries and frameworks that backend services are built with."},
	"database":  {"Databases", "databases", "Where data is kept: relational (SQL) databases and NoSQL stores such as document, key-value and search engines."},
	"api":       {"API styles", "API styles", "How services talk to each other and to apps: REST, GraphQL, SOAP and gRPC."},
	"cloud":     {"Cloud platforms", "cloud platforms", "The big cloud providers and their services."},
	"devops":    {"DevOps and containers", "DevOps tools", "Containers, orchestration, infrastructure as code and automated delivery (CI/CD)."},
	"messaging": {"Messaging and streaming", "messaging tools", "Queues and event streams that connect services."},
	"vcs":       {"Version control", "version-control tools", "Keeping track of code changes: Git and the platforms around it."},
	"security":  {"Security", "security skills", "Authentication, authorisation, encryption and secure coding."},
	"practice":  {"Practices", "practices", "Ways of building software: microservices, serverless, AI, edge computing, testing and more."},
	"soft":      {"Soft skills", "soft skills", "Working with people: communication, problem solving, teamwork."},
}

// pinned skills lead their category page, whatever their demand, because
// the issue and the career guides single them out.
var pinned = map[string][]string{
	"api":      {"rest", "graphql", "soap", "grpc"},
	"practice": {"serverless", "microservices", "ai", "edge-computing"},
}

// nosqlIDs are the database skills that are not relational, for the SQL vs
// NoSQL split. Every other database skill counts as SQL.
var nosqlIDs = map[string]bool{
	"mongodb": true, "redis": true, "cassandra": true, "dynamodb": true, "elasticsearch": true,
	"couchdb": true, "couchbase": true, "neo4j": true, "memcached": true, "firestore": true,
	"firebase": true, "hbase": true, "scylladb": true, "opensearch": true, "cosmosdb": true,
	"influxdb": true, "riak": true, "arangodb": true, "solr": true, "etcd": true, "valkey": true,
	"nosql": true, "vector-db": true, "foundationdb": true,
}
