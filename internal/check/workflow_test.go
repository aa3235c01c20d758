package check_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// The GitHub Pages workflow, as far as this test reads it. Decoding is strict:
// a misspelt key fails the test instead of being ignored by GitHub.
type workflow struct {
	Name        string            `yaml:"name"`
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Concurrency struct {
		Group            string `yaml:"group"`
		CancelInProgress *bool  `yaml:"cancel-in-progress"`
	} `yaml:"concurrency"`
	Jobs map[string]*job `yaml:"jobs"`
}

type job struct {
	RunsOn         string            `yaml:"runs-on"`
	TimeoutMinutes int               `yaml:"timeout-minutes"`
	Needs          any               `yaml:"needs"`
	Permissions    map[string]string `yaml:"permissions"`
	Environment    struct {
		Name string `yaml:"name"`
		URL  string `yaml:"url"`
	} `yaml:"environment"`
	Steps []step `yaml:"steps"`
}

type step struct {
	Name string            `yaml:"name"`
	ID   string            `yaml:"id"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]any    `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

// find returns the index of the first step using action (owner/name, at
// whatever version), or -1. The workflow's shape is what matters here, not
// which release of an action it pins: versions move, and a test that pins
// them fails for nothing whenever the workflow is brought up to date.
func (j *job) find(action string) int {
	for i, s := range j.Steps {
		if name, _, _ := strings.Cut(s.Uses, "@"); name == action {
			return i
		}
	}
	return -1
}

// pinnedRef matches a version an action may be pinned to: a major tag (v5),
// a full tag (v5.0.1) or a commit SHA.
var pinnedRef = regexp.MustCompile(`^(v\d+(\.\d+){0,2}|[0-9a-f]{40})$`)

func (j *job) findRun(part string) int {
	for i, s := range j.Steps {
		if strings.Contains(s.Run, part) {
			return i
		}
	}
	return -1
}

func TestPagesWorkflow(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(projectRoot, ".github", "workflows", "pages.yml"))
	if err != nil {
		t.Fatal(err)
	}
	checkWorkflow(t, data)

	// The test checks the shape, not which release each action is on: older
	// or newer majors and SHA pins pass, while a missing gate or an unpinned
	// action fails.
	tests := []struct {
		name     string
		from, to string
		ok       bool
	}{
		{"other majors", "actions/checkout@v", "actions/checkout@v1", true},
		{"a SHA pin", "actions/deploy-pages@v5", "actions/deploy-pages@" + strings.Repeat("a1", 20), true},
		{"unpinned", "actions/upload-pages-artifact@v5", "actions/upload-pages-artifact@main", false},
		{"no strict check", "dossier check -strict", "dossier check", false},
		{"no check at all", "go run ./cmd/dossier check", "echo", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mutated := strings.Replace(string(data), tc.from, tc.to, 1)
			if mutated == string(data) {
				t.Fatalf("%q not in the workflow", tc.from)
			}
			r := &recorder{}
			func() {
				defer func() {
					if v := recover(); v != nil && v != r {
						panic(v)
					}
				}()
				checkWorkflow(r, []byte(mutated))
			}()
			if r.failed == tc.ok {
				t.Errorf("workflow with %q accepted: %v, want %v (%v)", tc.to, !r.failed, tc.ok, r.msgs)
			}
		})
	}
}

// recorder collects what checkWorkflow reports about a mutated workflow.
type recorder struct {
	failed bool
	msgs   []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(f string, a ...any) {
	r.failed = true
	r.msgs = append(r.msgs, fmt.Sprintf(f, a...))
}
func (r *recorder) Fatalf(f string, a ...any) { r.Errorf(f, a...); panic(r) }
func (r *recorder) Failed() bool              { return r.failed }

type reporter interface {
	Helper()
	Errorf(string, ...any)
	Fatalf(string, ...any)
	Failed() bool
}

func checkWorkflow(t reporter, data []byte) {
	t.Helper()
	var wf workflow
	if err := yaml.UnmarshalWithOptions(data, &wf, yaml.Strict()); err != nil {
		t.Fatalf("pages.yml:\n%v", err)
	}

	// Triggers: a push to main, and by hand.
	push, _ := wf.On["push"].(map[string]any)
	if !reflect.DeepEqual(push["branches"], []any{"main"}) {
		t.Errorf("on.push.branches = %v, want [main]", push["branches"])
	}
	if _, ok := wf.On["workflow_dispatch"]; !ok {
		t.Errorf("no workflow_dispatch trigger")
	}
	if len(wf.On) != 2 {
		t.Errorf("triggers %v, want push and workflow_dispatch only", wf.On)
	}

	// Least privilege, exactly.
	want := map[string]string{"contents": "read", "pages": "write", "id-token": "write"}
	if !reflect.DeepEqual(wf.Permissions, want) {
		t.Errorf("permissions = %v, want %v", wf.Permissions, want)
	}
	for name, j := range wf.Jobs {
		for k, v := range j.Permissions {
			if want[k] == "" || v == "write" && want[k] != "write" {
				t.Errorf("job %s grants %s: %s beyond the workflow's permissions", name, k, v)
			}
		}
	}

	if wf.Concurrency.Group != "pages" || wf.Concurrency.CancelInProgress == nil || *wf.Concurrency.CancelInProgress {
		t.Errorf("concurrency: group %q, cancel-in-progress %v; want group pages, cancel-in-progress: false", wf.Concurrency.Group, fmtBool(wf.Concurrency.CancelInProgress))
	}

	build, deploy := wf.Jobs["build"], wf.Jobs["deploy"]
	if build == nil || deploy == nil {
		t.Fatalf("jobs %v, want build and deploy", wf.Jobs)
	}

	// build: checkout, Go from go.mod, tests, configure-pages, build with its
	// base URL, upload the output folder, in that order.
	checkout := build.find("actions/checkout")
	setup := build.find("actions/setup-go")
	test := build.findRun("go test")
	if test < 0 {
		test = build.findRun("make test")
	}
	configure := build.find("actions/configure-pages")
	buildStep := build.findRun("dossier build")
	checkStep := build.findRun("dossier check")
	upload := build.find("actions/upload-pages-artifact")
	order := []struct {
		name string
		i    int
	}{{"checkout", checkout}, {"setup-go", setup}, {"tests", test}, {"configure-pages", configure}, {"dossier build", buildStep}, {"dossier check", checkStep}, {"upload-pages-artifact", upload}}
	for k, o := range order {
		if o.i < 0 {
			t.Errorf("build job has no %s step", o.name)
		} else if k > 0 && order[k-1].i >= 0 && order[k-1].i > o.i {
			t.Errorf("build job runs %s before %s", o.name, order[k-1].name)
		}
	}
	if t.Failed() {
		return
	}
	if v := build.Steps[setup].With["go-version-file"]; v != "go.mod" {
		t.Errorf("setup-go go-version-file = %v, want go.mod", v)
	}
	if id := build.Steps[configure].ID; id != "pages" {
		t.Errorf("configure-pages step id = %q, want pages", id)
	}
	// The build takes configure-pages' base URL (it has no trailing slash), so
	// a fork deploys under its own path without edits.
	bs := build.Steps[buildStep]
	usesBase := strings.Contains(bs.Run, "steps.pages.outputs.base_url")
	for k, v := range bs.Env {
		if strings.Contains(v, "steps.pages.outputs.base_url") && strings.Contains(bs.Run, "$"+k) {
			usesBase = true
			if !strings.HasSuffix(v, "/") {
				t.Errorf("build step env %s = %q: add the trailing slash base_url lacks", k, v)
			}
		}
	}
	if !usesBase || !strings.Contains(bs.Run, "-base-url") {
		t.Errorf("the build step does not pass configure-pages' base_url to -base-url: run %q, env %v", bs.Run, bs.Env)
	}
	// The content's gate: check --strict under the same Pages URL.
	cs := build.Steps[checkStep]
	if !strings.Contains(cs.Run, "-strict") || !strings.Contains(cs.Run, "-base-url") || !reflect.DeepEqual(cs.Env, bs.Env) {
		t.Errorf("the check step must run dossier check -strict -base-url under the build's URL: run %q, env %v", cs.Run, cs.Env)
	}
	if out := build.Steps[upload].With["path"]; out != "public" || strings.Contains(bs.Run, "-out") && !strings.Contains(bs.Run, "-out public") {
		t.Errorf("upload-pages-artifact path = %v, but the build writes public/", out)
	}

	// deploy: after build, into the github-pages environment, with the
	// official action.
	if !reflect.DeepEqual(deploy.Needs, "build") && !reflect.DeepEqual(deploy.Needs, []any{"build"}) {
		t.Errorf("deploy needs %v, want build", deploy.Needs)
	}
	if deploy.Environment.Name != "github-pages" {
		t.Errorf("deploy environment %q, want github-pages", deploy.Environment.Name)
	}
	d := deploy.find("actions/deploy-pages")
	if d < 0 {
		t.Fatalf("deploy job has no actions/deploy-pages step")
	}
	if id := deploy.Steps[d].ID; id != "deployment" || deploy.Environment.URL != "${{ steps.deployment.outputs.page_url }}" {
		t.Errorf("deploy step id %q, environment url %q: want id deployment and url ${{ steps.deployment.outputs.page_url }}", id, deploy.Environment.URL)
	}

	// Hygiene: every action pinned to a version, no expression pasted into a
	// shell script (values go through env).
	for name, j := range wf.Jobs {
		if j.RunsOn == "" {
			t.Errorf("job %s has no runs-on", name)
		}
		for _, s := range j.Steps {
			if _, ref, _ := strings.Cut(s.Uses, "@"); s.Uses != "" && !pinnedRef.MatchString(ref) {
				t.Errorf("job %s: action %s is not pinned to a version (vN, vN.N.N or a commit SHA)", name, s.Uses)
			}
			if strings.Contains(s.Run, "${{") {
				t.Errorf("job %s: step %q pastes an expression into its script; pass it through env", name, s.Name)
			}
		}
	}
}

func fmtBool(b *bool) string {
	if b == nil {
		return "unset"
	}
	if *b {
		return "true"
	}
	return "false"
}
