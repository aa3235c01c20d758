package testtool

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// HeadlessOptions are the options every browser test starts chrome (see
// Chromium) with: headless, no sandbox or GPU, no first-run screens, no
// background traffic, a profile of its own in t's temporary folder, and a
// window of the size given. A test appends what only it needs.
func HeadlessOptions(t testing.TB, chrome string, width, height int) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
}
