package synth

import (
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/skilltrend/skilltrend"
)

// The Greenhouse part imitates the public Job Board API
// (boards-api.greenhouse.io): the whole board in one response, content as
// entity-escaped HTML, dates with a US Eastern offset.

type ghLocation struct {
	Name string `json:"name"`
}

type ghMetadata struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Value     any    `json:"value"`
	ValueType string `json:"value_type"`
}

type ghDepartment struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	ParentID *int64  `json:"parent_id"`
	ChildIDs []int64 `json:"child_ids"`
}

type ghOffice struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	Location string  `json:"location"`
	ParentID *int64  `json:"parent_id"`
	ChildIDs []int64 `json:"child_ids"`
}

type ghJob struct {
	AbsoluteURL    string         `json:"absolute_url"`
	InternalJobID  int64          `json:"internal_job_id"`
	Location       ghLocation     `json:"location"`
	Metadata       []ghMetadata   `json:"metadata"`
	ID             int64          `json:"id"`
	UpdatedAt      string         `json:"updated_at"`
	RequisitionID  string         `json:"requisition_id"`
	Title          string         `json:"title"`
	CompanyName    string         `json:"company_name"`
	FirstPublished string         `json:"first_published"`
	Language       string         `json:"language"`
	Content        string         `json:"content,omitempty"`
	Departments    []ghDepartment `json:"departments,omitempty"`
	Offices        []ghOffice     `json:"offices,omitempty"`
}

type ghJobs struct {
	Jobs []ghJob `json:"jobs"`
	Meta struct {
		Total int `json:"total"`
	} `json:"meta"`
}

var eastern = time.FixedZone("EST", -5*3600)

// ghEscaper escapes HTML the way Greenhouse stores job content.
var ghEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func workplaceType(m skilltrend.WorkMode) string {
	switch m {
	case skilltrend.WorkModeRemote:
		return "Remote"
	case skilltrend.WorkModeHybrid:
		return "Hybrid"
	case skilltrend.WorkModeOnsite:
		return "On-site"
	}
	return ""
}

func ghJobOf(r *http.Request, token string, p skilltrend.Posting, content bool) ghJob {
	id := numericID(p)
	u := p.URL
	if !strings.HasPrefix(u, "http") {
		u = baseOf(r) + "/boards/" + token + "/jobs/" + strconv.FormatInt(id, 10)
	}
	posted := p.PostedAt.In(eastern).Format(time.RFC3339)
	j := ghJob{
		AbsoluteURL: u, InternalJobID: id/2 + 7, Location: ghLocation{Name: p.Location},
		ID: id, UpdatedAt: posted, RequisitionID: "REQ-" + strconv.FormatInt(id%100000, 10),
		Title: p.Title, CompanyName: p.Company, FirstPublished: posted, Language: "en",
	}
	if wt := workplaceType(p.WorkMode); wt != "" {
		j.Metadata = append(j.Metadata, ghMetadata{ID: 4101, Name: "Workplace Type", Value: wt, ValueType: "single_select"})
	}
	if p.EmploymentType != "" {
		j.Metadata = append(j.Metadata, ghMetadata{ID: 4102, Name: "Employment Type", Value: p.EmploymentType, ValueType: "single_select"})
	}
	if content {
		j.Content = ghEscaper.Replace(descriptionHTML(p.Description))
		j.Departments = []ghDepartment{{ID: 5001, Name: "Engineering", ChildIDs: []int64{}}}
		j.Offices = []ghOffice{{ID: 6001, Name: p.Location, Location: p.Location, ChildIDs: []int64{}}}
	}
	return j
}

func (s *server) ghJobs(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	idx, ok := s.boards[token]
	if !ok {
		jsonError(w, http.StatusNotFound, "Job board not found")
		return
	}
	content := r.URL.Query().Get("content") == "true"
	res := ghJobs{Jobs: make([]ghJob, 0, len(idx))}
	for _, i := range idx {
		res.Jobs = append(res.Jobs, ghJobOf(r, token, s.ps[i], content))
	}
	res.Meta.Total = len(idx)
	writeJSON(w, http.StatusOK, res)
}

func (s *server) ghJob(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if i, ok := s.byID["gh-"+token+"\x00"+r.PathValue("id")]; ok {
		writeJSON(w, http.StatusOK, ghJobOf(r, token, s.ps[i], true))
		return
	}
	jsonError(w, http.StatusNotFound, "Job not found")
}

func (s *server) ghBoard(w http.ResponseWriter, r *http.Request) {
	idx, ok := s.boards[r.PathValue("token")]
	if !ok {
		jsonError(w, http.StatusNotFound, "Job board not found")
		return
	}
	name := s.ps[idx[0]].Company
	writeJSON(w, http.StatusOK, map[string]string{
		"name":    name,
		"content": ghEscaper.Replace("<p>Join " + html.EscapeString(name) + " and help us build what comes next.</p>"),
	})
}
