// Package skilltrend holds the domain types that flow between the pipeline
// stages: the crawler produces Postings, the extractor turns each Posting into
// an Extraction (skill tags and per-posting facts), analytics stores both in
// DuckDB and the reports read the aggregated views.
//
// The package imports nothing local so that every stage can depend on it.
package skilltrend

import (
	"hash/fnv"
	"time"
)

// WorkMode says where the work happens.
type WorkMode string

// Work modes. WorkModeUnknown is stored when a posting does not say.
const (
	WorkModeRemote  WorkMode = "remote"
	WorkModeHybrid  WorkMode = "hybrid"
	WorkModeOnsite  WorkMode = "onsite"
	WorkModeUnknown WorkMode = "unknown"
)

// Salary is a pay range as a posting states it (Period is "hour", "day",
// "week", "month" or "year"), or, after extraction, normalised to a year.
// Min or Max may be zero when only one bound is given.
type Salary struct {
	Min      float64 `json:"min,omitempty"`
	Max      float64 `json:"max,omitempty"`
	Currency string  `json:"currency,omitempty"` // ISO 4217, e.g. "USD"
	Period   string  `json:"period,omitempty"`
}

// Posting is one job posting as collected from a source. It is the unit that
// flows through every stage. Source and SourceID together identify it.
type Posting struct {
	Source         string    `json:"source"`    // name of the configured source, e.g. "hn"
	SourceID       string    `json:"source_id"` // the source's own id for the posting
	URL            string    `json:"url,omitempty"`
	Title          string    `json:"title,omitempty"`
	Company        string    `json:"company,omitempty"`
	Location       string    `json:"location,omitempty"`
	WorkMode       WorkMode  `json:"work_mode,omitempty"`
	EmploymentType string    `json:"employment_type,omitempty"` // e.g. FULL_TIME, CONTRACTOR
	Salary         *Salary   `json:"salary,omitempty"`
	PostedAt       time.Time `json:"posted_at,omitzero"` // zero when the source gives no date
	FirstSeen      time.Time `json:"first_seen,omitzero"`
	LastSeen       time.Time `json:"last_seen,omitzero"`
	Description    string    `json:"description"`        // clean text: entities decoded, paragraphs separated by blank lines
	RawHTML        string    `json:"raw_html,omitempty"` // as fetched, so re-tagging never needs a re-crawl
}

// ID is the stable numeric key of a posting, derived from Source and SourceID
// only, so re-crawling the same posting always yields the same key.
func (p Posting) ID() int64 {
	return PostingID(p.Source, p.SourceID)
}

// PostingID derives the key that Posting.ID returns: the 64-bit FNV-1a hash
// of source, a NUL byte and the source id, with the sign bit cleared.
func PostingID(source, sourceID string) int64 {
	h := fnv.New64a()
	h.Write([]byte(source))
	h.Write([]byte{0})
	h.Write([]byte(sourceID))
	return int64(h.Sum64() &^ (1 << 63))
}

// Category groups skills, following the backend skill map.
type Category string

// The skill categories.
const (
	CategoryLanguage  Category = "language"
	CategoryFramework Category = "framework"
	CategoryDatabase  Category = "database"
	CategoryAPI       Category = "api"
	CategoryCloud     Category = "cloud"
	CategoryDevOps    Category = "devops"
	CategoryMessaging Category = "messaging"
	CategoryVCS       Category = "vcs"
	CategorySecurity  Category = "security"
	CategoryPractice  Category = "practice"
	CategorySoft      Category = "soft"
)

// Categories lists every category in display order.
func Categories() []Category {
	return []Category{
		CategoryLanguage, CategoryFramework, CategoryDatabase, CategoryAPI,
		CategoryCloud, CategoryDevOps, CategoryMessaging, CategoryVCS,
		CategorySecurity, CategoryPractice, CategorySoft,
	}
}

// Skill is one entry of the taxonomy.
type Skill struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Category Category `json:"category"`
}

// Match is one place in a posting's text where a skill was found. Start and
// End are byte offsets into the text that was tagged (title, a newline, then
// the description; see extract.Text).
type Match struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Tag says that a posting asks for a skill.
type Tag struct {
	SkillID  string  `json:"skill_id"`
	Required bool    `json:"required"` // false when only named under "nice to have", "bonus", "a plus"...
	Matches  []Match `json:"matches"`
}

// Role is the kind of job a posting is for.
type Role string

// Roles.
const (
	RoleBackend   Role = "backend"
	RoleFrontend  Role = "frontend"
	RoleFullstack Role = "fullstack"
	RoleDevOps    Role = "devops"
	RoleData      Role = "data"
	RoleML        Role = "ml"
	RoleMobile    Role = "mobile"
	RoleOther     Role = "other"
)

// Seniority is the level a posting hires at.
type Seniority string

// Seniority levels. SeniorityUnknown when a posting does not say.
const (
	SeniorityIntern  Seniority = "intern"
	SeniorityJunior  Seniority = "junior"
	SeniorityMid     Seniority = "mid"
	SenioritySenior  Seniority = "senior"
	SeniorityStaff   Seniority = "staff+"
	SeniorityLead    Seniority = "lead"
	SeniorityUnknown Seniority = "unknown"
)

// Extraction is what the extractor learns from one posting.
type Extraction struct {
	PostingID       int64     `json:"posting_id"`
	TaxonomyVersion string    `json:"taxonomy_version"`
	Tags            []Tag     `json:"tags"`
	Role            Role      `json:"role"`
	Seniority       Seniority `json:"seniority"`
	WorkMode        WorkMode  `json:"work_mode"`
	Salary          *Salary   `json:"salary,omitempty"` // annual (Period "year"), nil when none was found
}
