package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds the browser the tests drive.
func chromiumPath() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// browserLog collects what a page does that the tests forbid.
type browserLog struct {
	mu        sync.Mutex
	problems  []string // console errors, exceptions, log errors
	external  []string // requests outside file://
	fileLoads int      // requests to file:// (proves the listener works)
	dialogs   []string
}

func (l *browserLog) add(list *[]string, s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	*list = append(*list, s)
}

func (l *browserLog) take() (problems, external, dialogs []string, fileLoads int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	problems, external, dialogs, fileLoads = l.problems, l.external, l.dialogs, l.fileLoads
	l.problems, l.external, l.dialogs, l.fileLoads = nil, nil, nil, 0
	return
}

// newBrowser starts a fresh headless Chromium, or skips the test.
func newBrowser(t *testing.T) (context.Context, *browserLog) {
	t.Helper()
	exe := chromiumPath()
	if exe == "" {
		t.Skip("chromium not installed (apt-get install -y chromium): skipping the browser tests")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	bl := &browserLog{}
	// Open the tab first so the listener sees every event of the pages.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				bl.add(&bl.problems, "console."+string(ev.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			bl.add(&bl.problems, fmt.Sprintf("exception: %s at %s:%d", msg, d.URL, d.LineNumber))
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				bl.add(&bl.problems, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			if strings.HasPrefix(ev.Request.URL, "file://") {
				bl.mu.Lock()
				bl.fileLoads++
				bl.mu.Unlock()
			} else {
				bl.add(&bl.external, ev.Request.URL)
			}
		case *cdppage.EventJavascriptDialogOpening:
			bl.add(&bl.dialogs, string(ev.Type)+": "+ev.Message)
			go func() {
				_, _ = chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
			}()
		}
	})
	if err != nil {
		t.Fatalf("listen to chromium: %v", err)
	}
	return ctx, bl
}

// chartState is what the page script reports about one chart.
type chartState struct {
	Block  string `json:"block"`
	Canvas bool   `json:"canvas"`
	Inked  int    `json:"inked"`  // non-transparent pixels
	Colors int    `json:"colors"` // distinct colours among them (capped)
	Empty  bool   `json:"empty"`
}

const chartsJS = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('div.chart')) {
    const c = el.querySelector('canvas');
    const s = {block: el.closest('section').id, canvas: !!c, inked: 0, colors: 0, empty: el.classList.contains('empty')};
    if (c && c.width > 0 && c.height > 0) {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const colors = new Set();
      for (let i = 0; i < d.length; i += 4) {
        if (d[i+3] !== 0) { s.inked++; if (colors.size < 50) colors.add(d[i] + ',' + d[i+1] + ',' + d[i+2]); }
      }
      s.colors = colors.size;
    }
    out.push(s);
  }
  return out;
})()`

const pageFactsJS = `(() => ({
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  scripts: Array.from(document.querySelectorAll('script')).map(s => s.type === 'application/json' ? 'json' : s.src),
  images: document.querySelectorAll('img, iframe, object, embed').length,
  text: document.body.innerText,
  title: document.title,
}))()`

type pageFacts struct {
	Links   []string `json:"links"`
	Scripts []string `json:"scripts"`
	Images  int      `json:"images"`
	Text    string   `json:"text"`
	Title   string   `json:"title"`
}

func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// loadPage opens a page from file:// and waits until the report script ran.
func loadPage(ctx context.Context, path string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return chromedp.Do(ctx,
		chromedp.Navigate(fileURL(path)),
		chromedp.WaitReady(chromedp.CSS("footer")),
		chromedp.Poll[chromedp.Void](`document.readyState === 'complete'`, chromedp.WithPollingTimeout(20*time.Second)),
	)
}

// browserChecks loads every generated page in Chromium.
func browserChecks(t *testing.T, dir string, paths []string) {
	t.Run("browser", func(t *testing.T) {
		ctx, bl := newBrowser(t)
		var pages []string
		for _, p := range paths {
			if strings.HasSuffix(p, ".html") {
				pages = append(pages, p)
			}
		}
		linked := map[string]bool{}
		for _, p := range pages {
			name := filepath.Base(p)
			if err := loadPage(ctx, p); err != nil {
				t.Errorf("%s: load: %v", name, err)
				continue
			}
			charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartState](chartsJS))
			if err != nil {
				t.Errorf("%s: inspect charts: %v", name, err)
				continue
			}
			facts, err := chromedp.Run(ctx, chromedp.Evaluate[pageFacts](pageFactsJS))
			if err != nil {
				t.Errorf("%s: inspect page: %v", name, err)
				continue
			}
			problems, external, dialogs, fileLoads := bl.take()
			for _, pr := range problems {
				t.Errorf("%s: %s", name, pr)
			}
			for _, u := range external {
				t.Errorf("%s: request outside file://: %s", name, u)
			}
			for _, d := range dialogs {
				t.Errorf("%s: a dialog opened: %s", name, d)
			}
			if fileLoads < 3 { // the page, echarts.min.js, report.js, report.css
				t.Errorf("%s: only %d file:// requests seen; the request listener is not working", name, fileLoads)
			}
			for _, c := range charts {
				if !c.Canvas || c.Empty || c.Inked < 500 || c.Colors < 3 {
					t.Errorf("%s: chart %s not drawn: %+v", name, c.Block, c)
				}
			}
			if facts.Images != 0 {
				t.Errorf("%s: %d img/iframe/object elements, want none", name, facts.Images)
			}
			want := []string{"json", fileURL(filepath.Join(dir, "assets", "echarts.min.js")), fileURL(filepath.Join(dir, "assets", "report.js"))}
			var got []string
			for _, s := range facts.Scripts {
				if s != "json" {
					got = append(got, s)
				}
			}
			if len(got) != 2 || got[0] != want[1] || got[1] != want[2] {
				t.Errorf("%s: executable scripts %v, want only the two assets", name, got)
			}
			for _, l := range facts.Links {
				u, err := url.Parse(l)
				if err != nil || u.Scheme != "file" {
					continue
				}
				target := filepath.FromSlash(u.Path)
				if _, err := os.Stat(target); err != nil {
					t.Errorf("%s: broken link %s", name, l)
				}
				linked[filepath.Base(target)] = true
			}
			if strings.Contains(name, "xss") || name == "methodology.html" {
				checkPayloadText(t, name, facts.Text)
			}
		}
		for _, p := range pages {
			if n := filepath.Base(p); n != "index.html" && !linked[n] {
				t.Errorf("%s is not linked from any page", n)
			}
		}
		filterSwitch(t, ctx, bl, filepath.Join(dir, "skill-go.html"))
		screenshot(t, ctx, filepath.Join(dir, "index.html"))
	})
}

// checkPayloadText checks that a page shows its payload as visible text,
// which proves it was neither executed nor dropped.
func checkPayloadText(t *testing.T, name, text string) {
	t.Helper()
	for i, p := range xssPayloads {
		if name == "skill-"+fileSlug(xssSkillID(i))+".html" {
			if !strings.Contains(text, stripMarker(p)) {
				t.Errorf("%s: payload %q not shown as text", name, stripMarker(p))
			}
		}
	}
	if name == "methodology.html" && !strings.Contains(text, "<img src=x onerror=alert(1)>") {
		t.Errorf("methodology.html: accuracy detail payload not shown as text")
	}
}

// filterSwitch changes the selectors on a skill page and checks that the
// sentence, table and chart follow.
func filterSwitch(t *testing.T, ctx context.Context, bl *browserLog, path string) {
	t.Helper()
	if err := loadPage(ctx, path); err != nil {
		t.Fatal(err)
	}
	bl.take()
	sentence := func() string {
		txt, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(`p[data-sentence="trend"]`)))
		if err != nil {
			t.Fatal(err)
		}
		return txt
	}
	before := sentence()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const set = (name, v) => { const s = document.querySelector('select[data-filter="' + name + '"]'); s.value = v; s.dispatchEvent(new Event('change')); };
		set('role', 'all'); set('seniority', 'senior');
		return true;
	})()`)); err != nil {
		t.Fatal(err)
	}
	after := sentence()
	rowsAfter, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('table[data-table="trend"] tbody tr').length`))
	if err != nil {
		t.Fatal(err)
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartState](chartsJS))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(before, "Go appeared in") || !strings.Contains(before, "of backend jobs") {
		t.Errorf("default sentence %q, want it about backend jobs", before)
	}
	if !strings.Contains(after, "of senior jobs") {
		t.Errorf("after choosing all roles and senior, sentence is %q", after)
	}
	if rowsAfter == 0 {
		t.Error("the table is empty after switching filters")
	}
	csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const href = document.querySelector('a[data-csv="trend"]').href;
		return href.startsWith('data:text/csv;charset=utf-8,') ? decodeURIComponent(href.slice(href.indexOf(',') + 1)) : 'bad href: ' + href;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(csv, "\r\n"), "\r\n")
	if !strings.HasPrefix(csv, `Month,Share of jobs,"Likely range, low","Likely range, high",Jobs naming it,Jobs in the group`) || len(lines) != rowsAfter+1 {
		t.Errorf("CSV download after switching filters has %d lines for %d table rows:\n%.300s", len(lines), rowsAfter, csv)
	}
	for _, c := range charts {
		if c.Inked < 500 {
			t.Errorf("chart %s blank after switching filters: %+v", c.Block, c)
		}
	}
	problems, external, dialogs, _ := bl.take()
	if len(problems)+len(external)+len(dialogs) > 0 {
		t.Errorf("switching filters: problems %v, external %v, dialogs %v", problems, external, dialogs)
	}
}

func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	if err := loadPage(ctx, path); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "overview.png")
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("overview screenshot: %s (%d bytes)", out, len(png))
	if dst := os.Getenv("REPORTS_SCREENSHOT"); dst != "" {
		_ = os.WriteFile(dst, png, 0o644)
	}
}

// jsonEscaped is s as it appears inside a JSON string.
func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
