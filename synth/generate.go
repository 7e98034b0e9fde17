package synth

import (
	"iter"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/skilltrend/skilltrend"
)

// DefaultEnd is the last month generated when Options.End is zero. It is a
// fixed date so that the zero Options are deterministic too.
func DefaultEnd() time.Time { return time.Date(2026, time.October, 1, 0, 0, 0, 0, time.UTC) }

// Options shape a synthetic market. The zero value gives the demo's market:
// 3,000 postings over 24 months ending at DefaultEnd.
type Options struct {
	Seed      int64
	Postings  int       // total postings, reposts included (default 3000)
	Months    int       // months covered (default 24)
	End       time.Time // any time in the last month (default DefaultEnd)
	Companies int       // distinct employers (default Postings/25, at least 40)
	// DuplicateRate is the fraction of postings that repost a job already
	// posted on another source (same title, company and text). Zero means
	// DefaultDuplicateRate; negative means none.
	DuplicateRate float64
}

// DefaultDuplicateRate is the share of reposts when Options.DuplicateRate is zero.
const DefaultDuplicateRate = 0.04

// Source names the generator uses. Postings of companies with a Greenhouse
// board carry "gh-<board>", those of companies with their own career site
// "careers-<slug>"; see Format for how Handler serves each.
const (
	SourceHN       = "hn"
	SourceJobBoard = "backendjobs" // a multi-company job board with JSON-LD pages
)

const (
	greenhouseCompanies = 6
	careerSiteCompanies = 3
)

func (o Options) withDefaults() Options {
	if o.Postings <= 0 {
		o.Postings = 3000
	}
	if o.Months <= 0 {
		o.Months = 24
	}
	if o.End.IsZero() {
		o.End = DefaultEnd()
	}
	if o.Companies <= 0 {
		o.Companies = max(40, o.Postings/25)
	}
	o.Companies = min(o.Companies, len(companyFirst)*len(companySecond)*len(companySuffixes))
	switch {
	case o.DuplicateRate == 0:
		o.DuplicateRate = DefaultDuplicateRate
	case o.DuplicateRate < 0:
		o.DuplicateRate = 0
	}
	return o
}

// MonthStart returns the first instant (UTC) of month m (0-based) of the
// market opts describe.
func (o Options) MonthStart(m int) time.Time {
	o = o.withDefaults()
	end := o.End.UTC()
	last := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC)
	return last.AddDate(0, m-(o.Months-1), 0)
}

// Labeled is a generated posting with what the generator put into it.
type Labeled struct {
	Posting skilltrend.Posting
	Month   int                  // 0-based month of the market
	Role    skilltrend.Role      // the role the title was drawn for
	Level   skilltrend.Seniority // the seniority the title was drawn for
	// Skills are the controlled skills (see Trends) the text mentions, in
	// Trends order; Nice are those only mentioned as nice to have.
	Skills []string
	Nice   []string
	// DuplicateOf is the Posting.ID of the job this one reposts, 0 if none.
	DuplicateOf int64
}

// Generate returns the whole market in posting order (by month).
func Generate(opts Options) []skilltrend.Posting {
	opts = opts.withDefaults()
	out := make([]skilltrend.Posting, 0, opts.Postings)
	for p := range Stream(opts) {
		out = append(out, p)
	}
	return out
}

// Stream yields the same postings as Generate one at a time, holding only
// the company table in memory, so millions can be written out.
func Stream(opts Options) iter.Seq[skilltrend.Posting] {
	return func(yield func(skilltrend.Posting) bool) {
		for l := range StreamLabeled(opts) {
			if !yield(l.Posting) {
				return
			}
		}
	}
}

// GenerateLabeled returns the market with its ground truth.
func GenerateLabeled(opts Options) []Labeled {
	var out []Labeled
	for l := range StreamLabeled(opts) {
		out = append(out, l)
	}
	return out
}

// StreamLabeled yields the market with its ground truth. Large markets are
// generated on every core in chunks and yielded in order.
func StreamLabeled(opts Options) iter.Seq[Labeled] {
	return func(yield func(Labeled) bool) {
		g := newGenerator(opts)
		n := g.opts.Postings
		workers := runtime.GOMAXPROCS(0)
		if workers < 2 || n < 4*streamChunk {
			for i := range n {
				if !yield(g.posting(i)) {
					return
				}
			}
			return
		}
		type batch struct {
			start int
			out   []Labeled
			ready chan struct{}
		}
		done := make(chan struct{})
		order := make(chan *batch, 2*workers) // batches in posting order
		work := make(chan *batch, 2*workers)
		var wg sync.WaitGroup
		defer func() {
			close(done)
			wg.Wait()
		}()
		wg.Go(func() {
			defer close(work)
			defer close(order)
			for start := 0; start < n; start += streamChunk {
				b := &batch{start: start, ready: make(chan struct{})}
				select {
				case order <- b:
				case <-done:
					return
				}
				select {
				case work <- b:
				case <-done:
					return
				}
			}
		})
		for range workers {
			wg.Go(func() {
				for b := range work {
					end := min(n, b.start+streamChunk)
					b.out = make([]Labeled, 0, end-b.start)
					for i := b.start; i < end; i++ {
						b.out = append(b.out, g.posting(i))
					}
					close(b.ready)
				}
			})
		}
		for b := range order {
			<-b.ready
			for _, l := range b.out {
				if !yield(l) {
					return
				}
			}
		}
	}
}

// streamChunk is how many postings a worker generates at a time.
const streamChunk = 512

type company struct {
	Name     string
	Slug     string
	Industry string
	Size     int
	HQ       int    // index into places
	Home     string // source name of its own channel, "" for none
}

var companySuffixes = []string{"", " Group", " Co.", " Collective"}

type generator struct {
	opts      Options
	companies []company
	compCum   []float64 // cumulative pick weights (Zipf-like)
	placeCum  []int
	monthEnd  []int // monthEnd[m] = first posting index after month m
	monthDays []int
	starts    []time.Time
}

func newGenerator(opts Options) *generator {
	opts = opts.withDefaults()
	g := &generator{opts: opts}
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed))

	nNames := len(companyFirst) * len(companySecond)
	perm := rng.Perm(nNames)
	for k := range opts.Companies {
		n := perm[k%nNames]
		name := companyFirst[n/len(companySecond)] + " " + companySecond[n%len(companySecond)] + companySuffixes[k/nNames]
		c := company{
			Name:     name,
			Slug:     slug(name),
			Industry: industries[rng.IntN(len(industries))],
			Size:     20 + rng.IntN(40)*10,
			HQ:       rng.IntN(len(places)),
		}
		switch {
		case k < greenhouseCompanies:
			c.Home = "gh-" + c.Slug
		case k < greenhouseCompanies+careerSiteCompanies:
			c.Home = "careers-" + c.Slug
		}
		g.companies = append(g.companies, c)
		w := 1 / math.Pow(float64(k+1), 0.7)
		if k > 0 {
			w += g.compCum[k-1]
		}
		g.compCum = append(g.compCum, w)
	}
	total := 0
	for _, p := range places {
		total += p.Weight
		g.placeCum = append(g.placeCum, total)
	}

	// Volume grows by half over the period, with a dip in December and a
	// bump in January, as job markets do.
	weights := make([]float64, opts.Months)
	var sum float64
	for m := range opts.Months {
		start := opts.MonthStart(m)
		g.starts = append(g.starts, start)
		g.monthDays = append(g.monthDays, int(start.AddDate(0, 1, 0).Sub(start).Hours()/24))
		w := 1 + 0.5*float64(m)/float64(max(1, opts.Months-1))
		switch start.Month() {
		case time.December:
			w *= 0.8
		case time.January:
			w *= 1.15
		}
		weights[m] = w
		sum += w
	}
	var cum float64
	for m := range opts.Months {
		cum += weights[m]
		g.monthEnd = append(g.monthEnd, int(math.Round(float64(opts.Postings)*cum/sum)))
	}
	g.monthEnd[opts.Months-1] = opts.Postings
	return g
}

func (g *generator) month(i int) int {
	return sort.SearchInts(g.monthEnd, i+1)
}

func (g *generator) rng(i int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.opts.Seed), uint64(i)*0x9e3779b97f4a7c15+1))
}

type placed struct {
	c     *controlled
	alias string
	nice  bool
}

// job is the content of one job, independent of where it is published.
type job struct {
	Index     int
	Month     int
	Company   *company
	Role      skilltrend.Role
	Level     skilltrend.Seniority
	Title     string
	Place     place
	Location  string
	WorkMode  skilltrend.WorkMode
	EmpType   string
	Salary    *skilltrend.Salary
	Skills    []string // controlled ids, Trends order
	Nice      []string
	Body      string // the description without the HN header
	SalaryTxt string
}

// original reports whether posting i is a repost and, if so, of which index.
func (g *generator) original(i int, rng *rand.Rand) (int, bool) {
	if i == 0 || rng.Float64() >= g.opts.DuplicateRate {
		return i, false
	}
	back := 1 + rng.IntN(min(i, 40))
	j := i - back
	// Follow a chain of reposts to the first posting of the job.
	for {
		r := g.rng(j)
		k, dup := g.original(j, r)
		if !dup {
			return j, true
		}
		j = k
	}
}

func (g *generator) posting(i int) Labeled {
	rng := g.rng(i)
	orig, dup := g.original(i, rng)
	if !dup {
		j := g.job(i, rng)
		p := g.publish(j, g.pickSource(j, rng), i, rng)
		return Labeled{Posting: p, Month: j.Month, Role: j.Role, Level: j.Level, Skills: j.Skills, Nice: j.Nice}
	}
	orng := g.rng(orig)
	g.original(orig, orng) // replay the draws the original made
	j := g.job(orig, orng)
	first := g.publish(j, g.pickSource(j, orng), orig, orng)
	src := SourceHN
	if first.Source == SourceHN {
		src = SourceJobBoard
	}
	p := g.publish(j, src, i, rng)
	return Labeled{Posting: p, Month: j.Month, Role: j.Role, Level: j.Level, Skills: j.Skills, Nice: j.Nice, DuplicateOf: first.ID()}
}

func (g *generator) pickSource(j *job, rng *rand.Rand) string {
	if j.Company.Home != "" {
		if rng.Float64() < 0.7 {
			return j.Company.Home
		}
		return SourceHN
	}
	if rng.Float64() < 0.55 {
		return SourceHN
	}
	return SourceJobBoard
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func (g *generator) job(i int, rng *rand.Rand) *job {
	m := g.month(i)
	j := &job{Index: i, Month: m}

	// Controlled skills first, each an independent draw, so their shares
	// are exactly the declared ones whatever else happens.
	var chosen []placed
	for k := range controlledSkills {
		c := &controlledSkills[k]
		if rng.Float64() < c.ShareAt(m, g.opts.Months) {
			chosen = append(chosen, placed{c: c, alias: pick(rng, c.Aliases), nice: rng.Float64() < 0.3})
			j.Skills = append(j.Skills, c.SkillID)
		}
	}
	hasAI := slices.Contains(j.Skills, "ai")

	j.Role = pickRole(rng, hasAI)
	lv := pickSeniority(rng)
	j.Level = lv.Level
	j.Company = &g.companies[sort.SearchFloat64s(g.compCum, rng.Float64()*g.compCum[len(g.compCum)-1])]
	if rng.Float64() < 0.7 {
		j.Place = places[j.Company.HQ]
	} else {
		j.Place = places[sort.SearchInts(g.placeCum, 1+rng.IntN(g.placeCum[len(g.placeCum)-1]))]
	}

	// Title, sometimes naming the main language as real titles do.
	stem := pick(rng, roleTitles[j.Role])
	if j.Role == skilltrend.RoleBackend && rng.Float64() < 0.3 {
		for _, c := range chosen {
			if !c.nice && len(c.c.Required) > 0 && isLanguage(c.c.SkillID) {
				stem = pick(rng, []string{c.alias + " Developer", "Backend Engineer (" + c.alias + ")", "Software Engineer, " + c.alias})
				break
			}
		}
	}
	prefix := pick(rng, lv.Prefix)
	j.Title = strings.TrimSpace(prefix + " " + stem)
	if j.Level == skilltrend.SeniorityIntern {
		j.Title = stem + " " + prefix
	}

	// Work mode and location.
	wm := rng.IntN(100)
	switch {
	case wm < 35:
		j.WorkMode = skilltrend.WorkModeRemote
		j.Location = "Remote (" + region(j.Place.Country) + ")"
	case wm < 70:
		j.WorkMode = skilltrend.WorkModeHybrid
		j.Location = j.Place.Name
	case wm < 95:
		j.WorkMode = skilltrend.WorkModeOnsite
		j.Location = j.Place.Name
	default:
		j.WorkMode = skilltrend.WorkModeUnknown
		j.Location = j.Place.Name
	}

	j.EmpType = "FULL_TIME"
	switch {
	case j.Level == skilltrend.SeniorityIntern:
		j.EmpType = "INTERN"
	case rng.Float64() < 0.08:
		j.EmpType = "CONTRACTOR"
	case rng.Float64() < 0.03:
		j.EmpType = "PART_TIME"
	}
	if rng.Float64() < 0.6 {
		j.Salary, j.SalaryTxt = salary(rng, j.Place.Currency, j.Level, j.EmpType)
	}

	// The text.
	var w textWriter
	w.Grow(2560)
	w.block()
	w.fill(pick(rng, intros), j.Company.Name, j.Company.Industry)
	w.WriteByte(' ')
	w.fill(pick(rng, blurbs), strconv.Itoa(j.Company.Size))
	if rng.Float64() < 0.5 {
		w.WriteByte(' ')
		w.WriteString(pick(rng, distractors))
	}

	w.block()
	w.fill(pick(rng, roleOpeners), j.Title, pick(rng, teams))
	if rng.Float64() < 0.4 {
		w.WriteByte(' ')
		w.WriteString(pick(rng, teamNotes))
	}
	for _, c := range chosen {
		if c.nice || isCore(j.Role, c.c.SkillID) {
			continue
		}
		w.WriteByte(' ')
		w.fill(pick(rng, c.c.Stack), c.alias)
	}
	if s := workModeSentence(rng, j); s != "" {
		w.WriteByte(' ')
		w.WriteString(s)
	}

	w.block()
	w.WriteString(pick(rng, dutyHeadings))
	w.block()
	for k, idx := range rng.Perm(len(duties))[:3+rng.IntN(2)] {
		w.item(k == 0)
		w.WriteString(duties[idx])
	}

	w.block()
	w.WriteString(pick(rng, requirementHeadings))
	w.block()
	w.item(true)
	switch lv.Years {
	case 0:
		w.WriteString("Currently studying towards a degree in a technical field, or self-taught with projects to show")
	case 1:
		w.WriteString("A first year or two of professional software experience")
	default:
		w.WriteString(strconv.Itoa(lv.Years) + "+ years of experience as a software engineer")
	}
	for _, c := range chosen {
		if !c.nice && isCore(j.Role, c.c.SkillID) {
			w.item(false)
			w.fill(pick(rng, c.c.Required), c.alias)
		}
	}
	if (j.Role == skilltrend.RoleBackend || j.Role == skilltrend.RoleFullstack) && !hasCoreLanguage(j.Role, chosen) {
		w.item(false)
		tmpl := pick(rng, langRequired)
		w.fill(tmpl, pick(rng, otherLanguages))
	}
	pool := roleSkills[j.Role]
	k := 1 + rng.IntN(3)
	perm := rng.Perm(len(pool))
	for _, n := range perm[:min(k, len(pool))] {
		w.item(false)
		w.WriteString(pick(rng, skillLeads))
		w.WriteString(pool[n])
	}
	w.item(false)
	w.WriteString(pick(rng, softReqs))

	first := true
	for _, c := range chosen {
		if c.nice {
			if first {
				w.block()
				w.WriteString(pick(rng, niceHeadings))
				w.block()
			}
			w.item(first)
			first = false
			w.fill(pick(rng, c.c.Nice), c.alias)
			j.Nice = append(j.Nice, c.c.SkillID)
		}
	}
	if rng.Float64() < 0.5 && k < len(pool) {
		if first {
			w.block()
			w.WriteString(pick(rng, niceHeadings))
			w.block()
		}
		w.item(first)
		w.WriteString("Experience with " + pool[perm[k]])
	}
	if j.SalaryTxt != "" {
		w.block()
		w.WriteString(pick(rng, payLabels))
		w.WriteString(j.SalaryTxt)
		w.WriteByte('.')
	}
	w.block()
	w.WriteString(pick(rng, benefits))
	if rng.Float64() < 0.35 {
		w.WriteByte(' ')
		w.WriteString(pick(rng, distractors))
	}
	if rng.Float64() < 0.3 {
		w.block()
		w.WriteString(pick(rng, processes))
	}
	if rng.Float64() < 0.4 {
		w.block()
		w.fill(pick(rng, applies), j.Company.Slug, j.Company.Slug)
	}
	j.Body = w.String()

	return j
}

// hnHeader is the pipe-separated line HN posts lead with.
func (j *job) hnHeader() string {
	h := []string{j.Company.Name, j.Title, j.Place.Name}
	switch j.WorkMode {
	case skilltrend.WorkModeRemote:
		h = append(h, "REMOTE ("+region(j.Place.Country)+")")
	case skilltrend.WorkModeHybrid:
		h = append(h, "Hybrid")
	case skilltrend.WorkModeOnsite:
		h = append(h, "ONSITE")
	}
	if j.EmpType != "FULL_TIME" {
		h = append(h, hnEmploymentTypes[j.EmpType])
	} else {
		h = append(h, "Full-time")
	}
	if j.SalaryTxt != "" {
		h = append(h, j.SalaryTxt)
	}
	h = append(h, "https://"+j.Company.Slug+".example/careers")
	return strings.Join(h, " | ")
}

// publish places a job on a source, giving it that source's id, URL and date.
func (g *generator) publish(j *job, source string, i int, rng *rand.Rand) skilltrend.Posting {
	p := skilltrend.Posting{
		Source:         source,
		Title:          j.Title,
		Company:        j.Company.Name,
		Location:       j.Location,
		WorkMode:       j.WorkMode,
		EmploymentType: j.EmpType,
		Salary:         j.Salary,
	}
	start := g.starts[j.Month]
	switch {
	case source == SourceHN:
		p.SourceID = strconv.Itoa(40_000_001 + 2*i)
		p.URL = "https://news.ycombinator.com/item?id=" + p.SourceID
		// Posts follow the thread opened on the 1st at 15:00 UTC.
		p.PostedAt = start.Add(16*time.Hour + time.Duration(rng.IntN(4*24*3600))*time.Second)
		p.Description = j.hnHeader() + "\n\n" + j.Body
	case strings.HasPrefix(source, "gh-"):
		p.SourceID = strconv.Itoa(4_000_000_000 + i)
		p.URL = "https://job-boards.greenhouse.io/" + strings.TrimPrefix(source, "gh-") + "/jobs/" + p.SourceID
		p.PostedAt = start.Add(time.Duration(rng.IntN(g.monthDays[j.Month]*24*3600)) * time.Second)
		p.Description = j.Body
	default:
		p.SourceID = "JR" + strconv.Itoa(100000+i)
		p.URL = "https://" + source + ".example/jobs/" + p.SourceID
		p.PostedAt = start.Add(time.Duration(rng.IntN(g.monthDays[j.Month]*24*3600)) * time.Second)
		p.Description = j.Body
	}
	return p
}

func pickRole(rng *rand.Rand, hasAI bool) skilltrend.Role {
	if hasAI && rng.Float64() < 0.25 {
		return skilltrend.RoleML
	}
	total := 0
	for _, r := range roleWeights {
		total += r.Weight
	}
	n := rng.IntN(total)
	for _, r := range roleWeights {
		if n < r.Weight {
			return r.Role
		}
		n -= r.Weight
	}
	return skilltrend.RoleBackend
}

func pickSeniority(rng *rand.Rand) struct {
	Level  skilltrend.Seniority
	Weight int
	Prefix []string
	Years  int
} {
	total := 0
	for _, s := range seniorityWeights {
		total += s.Weight
	}
	n := rng.IntN(total)
	for _, s := range seniorityWeights {
		if n < s.Weight {
			return s
		}
		n -= s.Weight
	}
	return seniorityWeights[2]
}

// otherLanguages keep postings without a controlled language realistic.
// hnEmploymentTypes is how HN headers name employment types.
var hnEmploymentTypes = map[string]string{"INTERN": "Internship", "CONTRACTOR": "Contract", "PART_TIME": "Part-time"}

var otherLanguages = []string{"C#", "Ruby", "Kotlin", "TypeScript", "Node.js", "Scala", "Elixir", "C++"}

func hasCoreLanguage(r skilltrend.Role, chosen []placed) bool {
	for _, c := range chosen {
		if !c.nice && isLanguage(c.c.SkillID) && isCore(r, c.c.SkillID) {
			return true
		}
	}
	return false
}

func isLanguage(id string) bool {
	switch id {
	case "go", "rust", "php", "python", "java":
		return true
	}
	return false
}

// isCore says whether a role uses a controlled skill daily (it goes into
// the requirements) or only meets it around the team (a stack sentence).
func isCore(r skilltrend.Role, id string) bool {
	switch r {
	case skilltrend.RoleFrontend, skilltrend.RoleMobile:
		return false
	case skilltrend.RoleDevOps:
		return id == "kubernetes" || id == "go" || id == "python" || id == "postgresql"
	case skilltrend.RoleData:
		return id != "php" && id != "rust"
	}
	return true
}

func region(country string) string {
	switch country {
	case "US":
		return "US"
	case "GB":
		return "UK"
	case "CA":
		return "Canada"
	case "DE", "NL", "FR", "ES", "PT", "IE", "PL", "SE", "CH":
		return "Europe"
	case "IN":
		return "India"
	}
	return "APAC"
}

func workModeSentence(rng *rand.Rand, j *job) string {
	city, _, _ := strings.Cut(j.Place.Name, ",")
	switch j.WorkMode {
	case skilltrend.WorkModeRemote:
		return pick(rng, []string{
			"This is a fully remote position; we hire anywhere in " + region(j.Place.Country) + ".",
			"The team is remote-first and works across " + region(j.Place.Country) + " time zones.",
		})
	case skilltrend.WorkModeHybrid:
		return pick(rng, []string{
			"Hybrid: we meet in our " + city + " office two days a week.",
			"We work hybrid, with three days a week in " + city + ".",
		})
	case skilltrend.WorkModeOnsite:
		return pick(rng, []string{
			"This role is on-site in our " + city + " office.",
			"You will work from our office in " + city + " five days a week.",
		})
	}
	return ""
}

// textWriter assembles a description: blocks separated by blank lines,
// bullet items, and templates with %s (or %[1]s, %[2]s, %d) slots.
type textWriter struct{ strings.Builder }

func (w *textWriter) block() {
	if w.Len() > 0 {
		w.WriteString("\n\n")
	}
}

func (w *textWriter) item(first bool) {
	if !first {
		w.WriteByte('\n')
	}
	w.WriteString("- ")
}

// fill writes tmpl with its slots replaced by args: %s and %d take the next
// argument, %[n]s the nth.
func (w *textWriter) fill(tmpl string, args ...string) {
	next := 0
	for {
		i := strings.IndexByte(tmpl, '%')
		if i < 0 || i+1 >= len(tmpl) {
			w.WriteString(tmpl)
			return
		}
		w.WriteString(tmpl[:i])
		switch {
		case tmpl[i+1] == 's' || tmpl[i+1] == 'd':
			w.WriteString(args[next])
			next++
			tmpl = tmpl[i+2:]
		case tmpl[i+1] == '[' && i+4 < len(tmpl):
			w.WriteString(args[tmpl[i+2]-'1'])
			tmpl = tmpl[i+5:]
		default:
			w.WriteByte('%')
			tmpl = tmpl[i+1:]
		}
	}
}

func slug(s string) string {
	var sb strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			sb.WriteRune(r)
			dash = false
		} else if !dash && sb.Len() > 0 {
			sb.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(sb.String(), "-")
}
