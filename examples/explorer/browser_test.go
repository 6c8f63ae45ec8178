package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// needChromium skips the browser test only where it may: outside CI without Chromium.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("%s is absent (CI installs Debian's chromium): %v", chromiumPath, err)
		}
		t.Fatalf("CI is set and %s is absent: %v", chromiumPath, err)
	}
}

// browser is a headless Chromium driven over the DevTools protocol, recording every
// console error, uncaught exception and error log entry (CSP violations and failed loads
// land there) so that the test fails on any.
type browser struct {
	ctx      context.Context // the browser's tab
	mu       sync.Mutex
	problems []string
	allow404 map[string]bool // pages the test asks for expecting a 404
	shots    string
	n        int
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	b := &browser{ctx: ctx, allow404: map[string]bool{}, shots: filepath.Join(t.TempDir(), "screenshots")}
	if dir := os.Getenv("EXPLORER_SCREENSHOTS"); dir != "" {
		b.shots = dir // to keep them after the test
	}
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	// The first Run starts the browser and lives as long as ctx: no deadline on it.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancel()
		acancel()
		t.Fatalf("starting %s: %v", chromiumPath, err)
	}
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleException && m.Type != "assert" {
				continue
			}
			b.mu.Lock()
			if !b.allow404[m.URL] {
				b.problems = append(b.problems, m.String()+" ("+m.URL+")")
			}
			b.mu.Unlock()
		}
	}()
	t.Cleanup(func() { cancel(); acancel(); <-done })
	return b
}

// do runs actions with a deadline (a hang fails the test with what it waited for,
// rather than running into go test's timeout).
func (b *browser) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func runT[T any](t *testing.T, b *browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	png := runT(t, b, "screenshot "+name, chromedp.FullScreenshot(100)) // 100: PNG (lower is JPEG)
	b.n++
	p := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, strings.ReplaceAll(name, " ", "-")))
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// check fails the test on any problem recorded so far. Console messages arrive
// asynchronously; the page's own load has been waited for, and a later message still
// fails the next check or the last one.
func (b *browser) check(t *testing.T, where string) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("%s: %s", where, p)
	}
	b.problems = nil
}

// selfTest shows that the console watch works: a page that logs an error and throws is
// seen, so a clean run means a clean console, not a deaf listener.
func (b *browser) selfTest(t *testing.T) {
	t.Helper()
	b.do(t, "console probe", chromedp.Navigate(`data:text/html,<script>console.error("probe");throw new Error("probe2")</script>`))
	deadline := time.After(30 * time.Second)
	for {
		b.mu.Lock()
		got := strings.Join(b.problems, "\n")
		b.mu.Unlock()
		if strings.Contains(got, "probe") && strings.Contains(got, "probe2") {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("the console watch missed a console.error and an exception: %q", got)
		case <-time.After(10 * time.Millisecond):
		}
	}
	b.mu.Lock()
	b.problems = nil
	b.mu.Unlock()
}

// pageCheck is one page to load and the element that shows it rendered.
type pageCheck struct {
	name, path, sel, text string
}

// searchCheck is one search and the element its result page shows.
type searchCheck struct {
	name, query, sel, text string
}

// exercise drives the explorer at base: every page, every search, a wrong search, and
// the live list while mine adds a block.
func exercise(t *testing.T, b *browser, base string, pages []pageCheck, searches []searchCheck, mine func() (uint64, error)) {
	for _, p := range pages {
		b.do(t, "page "+p.name, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.sel)))
		text := runT(t, b, "page "+p.name, chromedp.Text(chromedp.CSS(p.sel)))
		if p.text != "" && !strings.Contains(text, p.text) {
			t.Errorf("page %s (%s): %s reads %q, want %q in it", p.name, p.path, p.sel, text, p.text)
		}
		b.screenshot(t, "page-"+p.name)
		b.check(t, "page "+p.name)
	}
	for _, s := range searches {
		b.do(t, "search "+s.name,
			chromedp.Navigate(base+"/charts"),
			chromedp.WaitVisible(chromedp.CSS("#q")),
			chromedp.SendKeys(chromedp.CSS("#q"), s.query),
			chromedp.Submit(chromedp.CSS("#q")),
			chromedp.WaitVisible(chromedp.CSS(s.sel)))
		text := runT(t, b, "search "+s.name, chromedp.Text(chromedp.CSS(s.sel)))
		if s.text != "" && !strings.Contains(text, s.text) {
			t.Errorf("search %s (%q): %s reads %q, want %q in it", s.name, s.query, s.sel, text, s.text)
		}
		b.screenshot(t, "search-"+s.name)
		b.check(t, "search "+s.name)
	}
	// A wrong search: a 404 page that says what was not found.
	wrong := "NOSUCHSYMBOL"
	b.mu.Lock()
	b.allow404[base+"/search?q="+url.QueryEscape(wrong)] = true
	b.mu.Unlock()
	b.do(t, "wrong search", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), wrong), chromedp.Submit(chromedp.CSS("#q")),
		chromedp.WaitVisible(chromedp.CSS("#error-message")))
	msg := runT(t, b, "wrong search", chromedp.Text(chromedp.CSS("#error-message")))
	if !strings.Contains(msg, `No asset, DID, MIT or certificate is named "NOSUCHSYMBOL"`) {
		t.Errorf("wrong search says %q", msg)
	}
	b.screenshot(t, "search-not-found")
	b.check(t, "wrong search")

	// The live list: open the home page, wait until its stream is connected, mine, and
	// wait for the new block's row, added by the script without a reload.
	b.do(t, "home live", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`#live-status[data-state="on"]`)))
	runT(t, b, "mark the page", chromedp.Evaluate[bool](`window.notReloaded = true`))
	h, err := mine()
	if err != nil {
		t.Fatalf("mining: %v", err)
	}
	row := fmt.Sprintf(`#latest tr[data-height="%d"]`, h)
	b.do(t, "live row for block "+fmt.Sprint(h), chromedp.WaitVisible(chromedp.CSS(row)))
	if stayed := runT(t, b, "read the mark", chromedp.Evaluate[bool](`window.notReloaded === true`)); !stayed {
		t.Errorf("the page reloaded instead of adding block %d live", h)
	}
	b.screenshot(t, "live")
	// Leaving the page flushes what it logged last.
	b.do(t, "leave", chromedp.Navigate("about:blank"))
	b.check(t, "live list")
}
