package linkedin_test

import (
	"testing"

	"github.com/socialflow/socialflow/networks/linkedin/linkedintest"
	"github.com/socialflow/socialflow/networks/networktest"
)

func TestConformance(t *testing.T) {
	for _, c := range []struct {
		name   string
		author string
		o      linkedintest.Options
	}{
		{"organization", linkedintest.Organization, linkedintest.Options{}},
		{"member with r_member_social", linkedintest.Member, linkedintest.Options{MemberFinder: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			networktest.Run(t, func(t *testing.T) networktest.Harness { return linkedintest.NewHarness(t, c.author, c.o) })
		})
	}
}
