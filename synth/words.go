package synth

import "github.com/skilltrend/skilltrend"

// The vocabulary below was written for this generator. Everything outside the
// skill tables is checked (see words_test.go) to name no skill of the
// controlled set, so the declared trends stay exact.

// companyFirst and companySecond build company names such as "Harbor Ledger".
var companyFirst = []string{
	"Harbor", "Northwind", "Bluefin", "Copper", "Lantern", "Juniper", "Meadow", "Granite",
	"Saffron", "Tidal", "Cobalt", "Orchard", "Beacon", "Summit", "Willow", "Kestrel",
	"Marble", "Aurora", "Pioneer", "Driftwood", "Ember", "Falcon", "Hollow", "Ivory",
	"Larch", "Maple", "Nimbus", "Opal", "Pebble", "Quarry", "Redwood", "Sequoia",
	"Thistle", "Umber", "Vantage", "Wren", "Yarrow", "Zephyr", "Alder", "Basalt",
	"Cinder", "Delta", "Fjord", "Glacier", "Heron", "Indigo", "Jasper", "Keel",
}

var companySecond = []string{
	"Ledger", "Health", "Logistics", "Labs", "Systems", "Analytics", "Payments", "Robotics",
	"Energy", "Mobility", "Learning", "Security", "Insurance", "Media", "Commerce", "Bio",
	"Freight", "Networks", "Games", "Travel", "Foods", "Capital", "Software", "Works",
}

// industries describe what a company does, completing "<Company> builds ...".
var industries = []string{
	"payments infrastructure for independent retailers",
	"scheduling software for hospitals and clinics",
	"a freight marketplace connecting shippers and carriers",
	"tools that help accountants close the books faster",
	"a learning platform used by two million students",
	"energy management for commercial buildings",
	"fraud detection for online marketplaces",
	"a booking engine for boutique hotels",
	"software that routes delivery fleets in real time",
	"insurance products for small businesses",
	"a platform for clinical trial data",
	"developer tooling for observability",
	"an online grocery service in twelve cities",
	"subscription billing for media companies",
	"a secure messaging product for law firms",
	"ticketing for live events and festivals",
	"property management software for landlords",
	"a marketplace for used industrial equipment",
	"payroll and benefits for distributed teams",
	"mapping data for city planners",
}

// place is a location with the currency its salaries are quoted in.
type place struct {
	Name     string
	Country  string
	Currency string
	Weight   int
}

var places = []place{
	{"San Francisco, CA", "US", "USD", 9},
	{"New York, NY", "US", "USD", 9},
	{"Seattle, WA", "US", "USD", 5},
	{"Austin, TX", "US", "USD", 5},
	{"Boston, MA", "US", "USD", 4},
	{"Chicago, IL", "US", "USD", 3},
	{"Denver, CO", "US", "USD", 2},
	{"Berlin, Germany", "DE", "EUR", 6},
	{"Munich, Germany", "DE", "EUR", 2},
	{"Amsterdam, Netherlands", "NL", "EUR", 4},
	{"Paris, France", "FR", "EUR", 3},
	{"Barcelona, Spain", "ES", "EUR", 2},
	{"Lisbon, Portugal", "PT", "EUR", 2},
	{"Dublin, Ireland", "IE", "EUR", 2},
	{"London, UK", "GB", "GBP", 7},
	{"Manchester, UK", "GB", "GBP", 1},
	{"Toronto, Canada", "CA", "CAD", 3},
	{"Vancouver, Canada", "CA", "CAD", 2},
	{"Warsaw, Poland", "PL", "PLN", 3},
	{"Krakow, Poland", "PL", "PLN", 1},
	{"Stockholm, Sweden", "SE", "SEK", 2},
	{"Zurich, Switzerland", "CH", "CHF", 1},
	{"Bangalore, India", "IN", "INR", 3},
	{"Sydney, Australia", "AU", "AUD", 2},
	{"Singapore", "SG", "SGD", 1},
}

// Yearly pay bands for a mid-level engineer, in thousands of the currency.
var midBand = map[string][2]float64{
	"USD": {130, 170}, "EUR": {65, 85}, "GBP": {60, 80}, "CAD": {110, 140},
	"PLN": {200, 260}, "SEK": {600, 750}, "CHF": {120, 150}, "INR": {2000, 3200},
	"AUD": {130, 160}, "SGD": {100, 140},
}

var currencySymbol = map[string]string{
	"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "SGD": "S$", "INR": "₹",
}

// roleTitles holds title stems per role; the seniority prefix is added later.
var roleTitles = map[skilltrend.Role][]string{
	skilltrend.RoleBackend: {
		"Backend Engineer", "Software Engineer, Backend", "Backend Developer",
		"Software Engineer - Platform", "API Engineer", "Server Engineer",
		"Software Engineer, Payments Infrastructure", "Backend Software Engineer",
		"Platform Engineer", "Software Engineer, Core Services",
	},
	skilltrend.RoleFrontend:  {"Frontend Engineer", "Front-End Developer", "UI Engineer", "Web Engineer"},
	skilltrend.RoleFullstack: {"Full Stack Engineer", "Fullstack Developer", "Product Engineer (Full-Stack)"},
	skilltrend.RoleDevOps:    {"DevOps Engineer", "Site Reliability Engineer", "Infrastructure Engineer", "SRE"},
	skilltrend.RoleData:      {"Data Engineer", "Analytics Engineer", "Data Platform Engineer"},
	skilltrend.RoleML:        {"Machine Learning Engineer", "AI Engineer", "Applied AI Engineer", "ML Platform Engineer"},
	skilltrend.RoleMobile:    {"iOS Engineer", "Android Engineer", "Mobile Engineer"},
}

// roleWeights is the role mix of postings without the ai skill; ml roles are
// drawn only for postings that mention ai (see pickRole).
var roleWeights = []struct {
	Role   skilltrend.Role
	Weight int
}{
	{skilltrend.RoleBackend, 58},
	{skilltrend.RoleFullstack, 13},
	{skilltrend.RoleFrontend, 8},
	{skilltrend.RoleDevOps, 9},
	{skilltrend.RoleData, 7},
	{skilltrend.RoleMobile, 5},
}

var seniorityWeights = []struct {
	Level  skilltrend.Seniority
	Weight int
	Prefix []string
	Years  int
}{
	{skilltrend.SeniorityIntern, 2, []string{"Intern", "Summer Intern"}, 0},
	{skilltrend.SeniorityJunior, 9, []string{"Junior", "Associate", "Graduate"}, 1},
	{skilltrend.SeniorityMid, 27, []string{""}, 3},
	{skilltrend.SenioritySenior, 38, []string{"Senior", "Sr."}, 5},
	{skilltrend.SeniorityStaff, 12, []string{"Staff", "Principal"}, 8},
	{skilltrend.SeniorityLead, 12, []string{"Lead", "Tech Lead"}, 7},
}

// Uncontrolled skills: mentioned freely, never declared as trends. Their
// wordings avoid every alias of the controlled skills.
var roleSkills = map[skilltrend.Role][]string{
	skilltrend.RoleBackend: {
		"C#", "Ruby", "Kotlin", "TypeScript", "Node.js", "Scala", "Elixir", "Redis", "Kafka",
		"RabbitMQ", "gRPC", "GraphQL", "REST APIs", "Docker", "AWS", "GCP", "Azure", "MySQL",
		"MongoDB", "Terraform", "CI/CD", "microservices", "OAuth 2.0", "Elasticsearch",
		"DynamoDB", "Git", "Linux",
	},
	skilltrend.RoleFrontend:  {"TypeScript", "JavaScript", "React", "Vue.js", "CSS", "HTML", "GraphQL", "Next.js", "Git", "accessibility"},
	skilltrend.RoleFullstack: {"TypeScript", "JavaScript", "React", "Node.js", "Ruby on Rails", "GraphQL", "MySQL", "Redis", "Docker", "AWS", "REST APIs"},
	skilltrend.RoleDevOps:    {"Terraform", "Docker", "AWS", "GCP", "Azure", "Linux", "CI/CD", "Prometheus", "Ansible", "GitHub Actions", "Helm", "Bash"},
	skilltrend.RoleData:      {"Spark", "Airflow", "dbt", "Snowflake", "SQL", "Kafka", "AWS", "BigQuery", "Scala"},
	skilltrend.RoleML:        {"PyTorch", "TensorFlow", "SQL", "Docker", "AWS", "GCP", "Spark"},
	skilltrend.RoleMobile:    {"Swift", "Kotlin", "SwiftUI", "Jetpack Compose", "REST APIs", "GraphQL", "Git"},
}

// distractors are sentences with words that look like skills but are not
// (go-live, Series C, R&D, the rest of, cutting-edge...). A good tagger
// counts none of the controlled skills in them.
var distractors = []string{
	"We closed our Series C last spring and are growing the team ahead of the go-live of our new platform.",
	"You'll be the go-to person for anything touching our core ledger.",
	"Our R&D group works closely with the rest of the engineering organisation.",
	"We work on cutting-edge problems, but we ship boring, reliable software.",
	"Rest assured, we keep on-call humane: one week in six, with a swift turnaround on incident follow-ups.",
	"Our founders previously worked at Oracle and at two early-stage startups.",
	"If this sounds like you, express interest through the form below even if you don't tick every box.",
	"We put guard rails in place so that teams can deploy on their own schedule.",
	"You will help us design scalable systems that stay simple to operate.",
	"We go above and beyond for our customers, and we expect the same care in code review.",
	"Every node in our on-call rotation gets a paid day off after a rough week.",
	"We report to the C-level team every quarter and publish the notes internally.",
	"The role is open now; we hope to have someone on board before the go-live in the autumn.",
	"We value clear writing: most decisions start as a short design doc that the rest of the team can comment on.",
}

// blurbs describe the company mission; they must not name skills.
var blurbs = []string{
	"We are a team of %d people, most of whom have been here for more than three years.",
	"We are profitable, have %d employees, and grow by listening to our customers.",
	"Our %d-person team is spread over four time zones and meets twice a year in person.",
	"About %d of us work here today; engineering is roughly a third of the company.",
}

var duties = []string{
	"Design, build and operate services that handle millions of requests a day",
	"Own features end to end, from the first design doc to monitoring in production",
	"Improve the reliability and latency of our public API",
	"Work with product managers and designers to shape the roadmap",
	"Mentor other engineers and take part in code review",
	"Break a large legacy application into well-defined services",
	"Write clear documentation and runbooks for the systems you own",
	"Take part in a fair on-call rotation",
	"Help us migrate batch jobs to event-driven pipelines",
	"Profile and tune hot paths in our billing engine",
	"Review designs from other teams and spot the failure modes early",
	"Keep our public documentation and client libraries in step with the API",
	"Automate the manual steps in our release process",
	"Work with support to turn recurring customer issues into fixes",
	"Measure what matters and set the service level objectives for your area",
}

// teams complete "... to join our <team> team".
var teams = []string{
	"platform", "payments", "core", "growth", "integrations", "data", "identity", "search",
	"billing", "infrastructure", "marketplace", "partner API", "reliability", "checkout",
}

var intros = []string{
	"%[1]s builds %[2]s.",
	"At %[1]s we build %[2]s.",
	"%[1]s makes %[2]s.",
	"We are %[1]s, and we build %[2]s.",
}

var roleOpeners = []string{
	"We are looking for a %[1]s to join our %[2]s team.",
	"We're hiring a %[1]s for the %[2]s team.",
	"Join the %[2]s team as a %[1]s.",
	"You'll join our %[2]s team as a %[1]s.",
}

var teamNotes = []string{
	"The team is six engineers, a designer and a product manager, and ships several times a day.",
	"You will pair often, and nobody owns a service alone.",
	"The team owns its services in production, from the first commit to the pager.",
	"Most of the work is in small, reviewable changes behind feature flags.",
}

var processes = []string{
	"Our process: a 30-minute call, a paid take-home or a pairing session (your choice), and a conversation with the team.",
	"Interviews take two weeks: an intro call, a system design conversation and a chat with two future teammates.",
	"We reply to every application within five working days.",
}

var applies = []string{
	"Apply at https://%s.example/careers or email jobs@%s.example with a short note.",
	"To apply, send a few lines about something you built to hiring@%s.example (%s.example/jobs).",
}

var softReqs = []string{
	"Good written and spoken communication in English",
	"You enjoy solving problems with people from other teams",
	"You care about testing and can explain the trade-offs you make",
	"Comfortable working in an agile team with short feedback loops",
	"Curiosity and the habit of leaving code better than you found it",
}

var benefits = []string{
	"Generous parental leave, a learning budget and a yearly team retreat.",
	"Private health insurance, a home office stipend and 30 days of paid vacation.",
	"Equity for everyone, flexible hours and a four-day week in August.",
	"Health, dental and vision cover, a 401(k) match and a yearly conference budget.",
	"A pension plan, a cycle-to-work scheme and a quiet office with good coffee.",
}

var hnReplies = []string{
	"Is this open to candidates outside the listed countries?",
	"Do you sponsor visas for this role?",
	"Applied last week, is the position still open?",
	"Thanks for including the salary range.",
	"What does the interview process look like?",
}

var hnAnswers = []string{
	"Yes, we can hire through an employer of record in most countries.",
	"Not at the moment, sorry.",
	"It is! We are still interviewing.",
	"Four steps: intro call, take-home, system design chat and a meeting with the team.",
}

var hiredPosts = []string{
	"Location: Lisbon<p>Remote: Yes<p>Willing to relocate: No<p>Résumé: available on request<p>Email: in profile",
	"Location: Toronto<p>Remote: Yes<p>Willing to relocate: Yes<p>Looking for a product team that ships often.",
	"Location: Nairobi<p>Remote: Yes<p>Willing to relocate: No<p>Ten years of building web products; happy to chat.",
}

var (
	dutyHeadings        = []string{"What you'll do:", "Responsibilities:", "In this role you will:"}
	requirementHeadings = []string{"Requirements:", "What we're looking for:", "About you:"}
	niceHeadings        = []string{"Nice to have:", "Bonus points:", "It's a plus if you have:"}
	payLabels           = []string{"Compensation: ", "Salary: ", "Pay range: "}
	skillLeads          = []string{"Experience with ", "Working knowledge of ", "You have used "}
)
