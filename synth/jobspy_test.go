package synth

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/skilltrend/skilltrend"
)

func readJobSpyFile(t *testing.T, name string) ([]skilltrend.Posting, RowErrors) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ps []skilltrend.Posting
	bad, err := ReadJobSpyCSV(t.Context(), f, func(p skilltrend.Posting) error {
		ps = append(ps, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ps, bad
}

func TestReadJobSpyCSV(t *testing.T) {
	ps, bad := readJobSpyFile(t, "testdata/jobspy.csv")
	wantBad := []struct {
		line int
		msg  string
	}{
		{15, `min_amount: "competitive" is not a number`},
		{16, "neither id nor job_url"},
		{19, `date_posted "yesterday"`},
		{21, "4 fields, header has 28"},
		{22, `bare "`},
	}
	if len(bad) != len(wantBad) {
		t.Fatalf("bad rows: %v", bad)
	}
	for i, w := range wantBad {
		if bad[i].Line != w.line || !strings.Contains(bad[i].Err.Error(), w.msg) {
			t.Errorf("bad row %d: %v, want line %d: %s", i, bad[i], w.line, w.msg)
		}
	}
	if len(ps) != 5 {
		t.Fatalf("got %d postings, want 5", len(ps))
	}
	first := ps[0]
	want := skilltrend.Posting{
		Source: "jobspy-indeed", SourceID: "in-7f3a91c2d4e5b601",
		URL:   "https://www.indeed.com/viewjob?jk=7f3a91c2d4e5b601",
		Title: "Senior Backend Engineer (Golang)", Company: "Lantern Pay", Location: "Austin, TX, US",
		WorkMode: skilltrend.WorkModeUnknown, EmploymentType: "FULL_TIME",
		Salary:   &skilltrend.Salary{Min: 155000, Max: 190000, Currency: "USD", Period: "year"},
		PostedAt: time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC),
	}
	desc := first.Description
	first.Description = ""
	if first.Salary == nil || *first.Salary != *want.Salary {
		t.Errorf("salary %+v, want %+v", first.Salary, want.Salary)
	}
	first.Salary = want.Salary
	if first != want {
		t.Errorf("first posting\n got %+v\nwant %+v", first, want)
	}
	if !strings.Contains(desc, "* 5+ years with Go and Postgres\n* Kubernetes") || !strings.HasPrefix(desc, "**About us**\n\n") {
		t.Errorf("multi-line description mangled: %q", desc)
	}
	checks := []struct {
		i    int
		ok   bool
		what string
	}{
		{1, ps[1].EmploymentType == "FULL_TIME" && ps[1].Salary == nil && strings.Contains(ps[1].Description, `"golden path"`), "linkedin row: first job type, no salary, doubled quotes undone"},
		{2, ps[2].WorkMode == skilltrend.WorkModeRemote && ps[2].Salary.Period == "hour" && ps[2].Salary.Min == 70 && ps[2].Description == "Three-month contract.\nPython 3, FastAPI, AWS.", "glassdoor row: remote, hourly, CRLF inside the field"},
		{3, ps[3].Salary.Currency == "CAD" && ps[3].Salary.Period == "month" && strings.Contains(ps[3].Description, `C:\data\ path`), "monthly CAD row, escaped backslashes undone"},
		{4, ps[4].SourceID == "in-last" && ps[4].PostedAt.Equal(time.Date(2025, 6, 5, 0, 0, 0, 0, time.UTC)), "row after the broken ones"},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: %+v", c.what, ps[c.i])
		}
	}
}

func TestReadJobSpyCSVIndexColumnAndBOM(t *testing.T) {
	in := "\ufeff,site,job_url,title,company,description,is_remote\n" +
		"0,indeed,https://example.org/1,Go Engineer,Acme,Go services,True\n" +
		"1,linkedin,,Nameless,Acme,no URL and no id,False\n" +
		"2,,https://example.org/3,Backend Dev,Globex,\"multi\nline\",maybe\n" +
		"3,,https://example.org/4,Backend Dev,Globex,ok,\n"
	var ps []skilltrend.Posting
	bad, err := ReadJobSpyCSV(t.Context(), strings.NewReader(in), func(p skilltrend.Posting) error {
		ps = append(ps, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].SourceID != "https://example.org/1" || ps[0].WorkMode != skilltrend.WorkModeRemote || ps[1].Source != "jobspy" {
		t.Fatalf("postings %+v", ps)
	}
	if len(bad) != 2 || bad[0].Line != 3 || bad[1].Line != 4 || !strings.Contains(bad[1].Err.Error(), "is_remote") {
		t.Fatalf("bad rows %v", bad)
	}
}

func TestReadJobSpyCSVHeaderErrors(t *testing.T) {
	for name, in := range map[string]string{
		"empty":      "",
		"no title":   "id,site,description\n1,indeed,x\n",
		"no id, url": "title,company\nx,y\n",
		"bad quote":  "\"id,title\n",
	} {
		_, err := ReadJobSpyCSV(t.Context(), strings.NewReader(in), func(skilltrend.Posting) error { return nil })
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	boom := errors.New("stop")
	_, err := ReadJobSpyCSV(t.Context(), strings.NewReader("id,title\n1,a\n2,b\n"), func(skilltrend.Posting) error { return boom })
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("emit error: %v", err)
	}
}

func FuzzReadJobSpyCSV(f *testing.F) {
	seed, err := os.ReadFile("testdata/jobspy.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("id,title,min_amount,max_amount,interval\n1,a,5,3,yearly\n2,b,NaN,inf,hourly\n"))
	f.Add([]byte("title,job_url\n\"x\ny\",\"u\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		last := 0
		bad, err := ReadJobSpyCSV(t.Context(), bytes.NewReader(data), func(p skilltrend.Posting) error {
			if verr := validate(&p); verr != nil {
				t.Fatalf("emitted an invalid posting: %v", verr)
			}
			return nil
		})
		if err != nil {
			return // an unusable header
		}
		for _, b := range bad {
			if b.Line < last || b.Line < 2 || b.Line > lines {
				t.Fatalf("row error at line %d after %d, input has %d lines", b.Line, last, lines)
			}
			last = b.Line
		}
	})
}
