package output

import (
	"slices"
	"strings"
	"testing"
)

// mountsAt reads the kernel's mount table: the mount point at a folder,
// those inside it (not a sibling whose name starts alike), with the
// kernel's octal escapes undone.
func TestMountsAt(t *testing.T) {
	table := `22 27 0:21 / /proc rw,relatime - proc proc rw
25 24 0:23 / /srv/site rw,relatime - tmpfs tmpfs rw
30 24 8:1 /home/ann/content /srv/site/articles/x rw - ext4 /dev/sda1 rw
31 24 0:40 / /srv/site/my\040photos rw - tmpfs tmpfs rw
32 24 0:41 / /srv/site2 rw - tmpfs tmpfs rw
33 24 0:42 / /srv/site\134odd rw - tmpfs tmpfs rw
short line
`
	for _, tc := range []struct {
		dir    string
		at     bool
		inside []string
	}{
		{"/srv/site", true, []string{"/srv/site/articles/x", "/srv/site/my photos"}},
		{"/srv/site/articles", false, []string{"/srv/site/articles/x"}},
		{"/srv/site/articles/x", true, nil},
		{`/srv/site\odd`, true, nil},
		{"/srv/other", false, nil},
	} {
		at, inside := mountsAt(strings.NewReader(table), tc.dir)
		if at != tc.at || !slices.Equal(inside, tc.inside) {
			t.Errorf("%s: at %v, inside %q; want %v, %q", tc.dir, at, inside, tc.at, tc.inside)
		}
	}
}
