package opts

import (
	"bytes"
	"flag"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListOptsKeepsOrderAndValidates(t *testing.T) {
	o := NewListOpts(ValidateAttach)
	require.NoError(t, o.Set("STDOUT"))
	require.NoError(t, o.Set("stdin"))
	require.EqualError(t, o.Set("stdfoo"), "valid streams are STDIN, STDOUT and STDERR.")
	assert.Equal(t, []string{"stdout", "stdin"}, o.GetAll())
	assert.Equal(t, 2, o.Len())
	assert.True(t, o.Get("stdin"))
	assert.False(t, o.Get("stderr"))
	assert.Equal(t, "[stdout stdin]", o.String())

	o.Delete("stdout")
	assert.Equal(t, []string{"stdin"}, o.GetAll())
	o.Delete("absent")
	assert.Equal(t, map[string]struct{}{"stdin": {}}, o.GetMap())
}

func TestListOptsNilValidatorAcceptsAnything(t *testing.T) {
	o := NewListOpts(nil)
	require.NoError(t, o.Set("foo"))
	require.NoError(t, o.Set("foo"))
	assert.Len(t, o.GetAll(), 2)
	assert.Len(t, o.GetMap(), 1)
}

func TestListOptsOnAFlagSet(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var got []string
	varOn(fs, newListOptsRef(&got, ValidateIPAddress), []string{"#dns", "-dns"}, "dns")
	require.NoError(t, fs.Parse([]string{"-dns", "8.8.8.8", "--dns=::1"}))
	assert.Equal(t, []string{"8.8.8.8", "::1"}, got)
	assert.Error(t, fs.Parse([]string{"--dns", "nope"}))
}

func TestValidateIPAddress(t *testing.T) {
	for in, want := range map[string]string{
		"1.2.3.4": "1.2.3.4", "127.0.0.1": "127.0.0.1", "::1": "::1", " 10.0.0.1 ": "10.0.0.1",
	} {
		got, err := ValidateIPAddress(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got)
	}
	for _, in := range []string{"127", "random invalid string", ""} {
		got, err := ValidateIPAddress(in)
		assert.EqualError(t, err, in+" is not an ip address")
		assert.Empty(t, got)
	}
}

func TestValidateDnsSearch(t *testing.T) {
	valid := map[string]string{
		".": ".", "a": "a", "a.": "a", "1.foo": "1.foo", "17.foo": "17.foo",
		"foo.bar": "foo.bar", "foo.bar.": "foo.bar", "foo.bar.baz": "foo.bar.baz",
		"foo1.bar2": "foo1.bar2", "1foo.2bar.": "1foo.2bar", "foo-1.bar-2.baz": "foo-1.bar-2.baz",
		"1-foo.2-bar.": "1-foo.2-bar", " example.com ": "example.com",
	}
	for in, want := range valid {
		got, err := ValidateDnsSearch(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	invalid := []string{"", " ", "  ", "17", "17.", ".17", "17-.", "17-.foo", ".foo",
		"foo-.bar", "-foo.bar", "foo.bar-", "foo.bar-.baz", "foo.-bar", "foo.-bar.baz", "foo..bar", ":foo", "foo.:bar"}
	for _, in := range invalid {
		got, err := ValidateDnsSearch(in)
		assert.Error(t, err, in)
		assert.Empty(t, got, in)
	}
	_, err := ValidateDnsSearch("-foo.bar")
	assert.EqualError(t, err, "-foo.bar is not a valid domain")
}

func TestValidateAttach(t *testing.T) {
	for _, in := range []string{"stdin", "STDOUT", "StdErr"} {
		_, err := ValidateAttach(in)
		assert.NoError(t, err, in)
	}
	_, err := ValidateAttach("stdall")
	assert.EqualError(t, err, "valid streams are STDIN, STDOUT and STDERR.")
}

func TestValidateLink(t *testing.T) {
	got, err := ValidateLink("db:database")
	require.NoError(t, err)
	assert.Equal(t, "db:database", got)
	for _, in := range []string{"db", "a:b:c", ""} {
		_, err := ValidateLink(in)
		assert.EqualError(t, err, "Invalid format to parse.  "+in+" should match template name:alias")
	}
}

func TestValidatePath(t *testing.T) {
	cases := []struct{ in, want, err string }{
		{"/data", "/data", ""},
		{"/data/../srv/", "/srv", ""},
		{"/host:/ctr", "/host:/ctr", ""},
		{"/host:/ctr/./x:ro", "/host:/ctr/x:ro", ""},
		{"data", "data", "data is not an absolute path"},
		{"/host:ctr", "/host:ctr", "ctr is not an absolute path"},
		{"/a:/b:ro:x", "/a:/b:ro:x", "bad format for volumes: /a:/b:ro:x"},
	}
	for _, c := range cases {
		got, err := ValidatePath(c.in)
		if c.err == "" {
			assert.NoError(t, err, c.in)
		} else {
			assert.EqualError(t, err, c.err, c.in)
		}
		assert.Equal(t, c.want, got, c.in)
	}
}

func TestValidateEnv(t *testing.T) {
	t.Setenv("DOCKERLAB_OPTS_TEST", "from-client")
	for in, want := range map[string]string{
		"A=1":                 "A=1",
		"A=":                  "A=",
		"A=b=c":               "A=b=c",
		"DOCKERLAB_OPTS_TEST": "DOCKERLAB_OPTS_TEST=from-client",
		"DOCKERLAB_UNSET_XYZ": "DOCKERLAB_UNSET_XYZ=",
	} {
		got, err := ValidateEnv(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
}

func TestIpOpt(t *testing.T) {
	var ip net.IP
	o := NewIpOpt(&ip, "0.0.0.0")
	assert.Equal(t, "0.0.0.0", o.String())
	require.NoError(t, o.Set("10.1.2.3"))
	assert.Equal(t, "10.1.2.3", ip.String())
	assert.EqualError(t, o.Set("10.1.2"), "10.1.2 is not an ip address")
	assert.Equal(t, "10.1.2.3", ip.String(), "a bad value leaves the old one")
}

func TestParseKeyValueOpt(t *testing.T) {
	for _, in := range []string{"lxc.utsname=docker", "lxc.utsname = docker "} {
		k, v, err := ParseKeyValueOpt(in)
		require.NoError(t, err)
		assert.Equal(t, "lxc.utsname", k)
		assert.Equal(t, "docker", v)
	}
	_, _, err := ParseKeyValueOpt("lxc.utsname")
	assert.EqualError(t, err, "Unable to parse key/value option: lxc.utsname")
}

func TestPartParser(t *testing.T) {
	parts, err := PartParser("ip:hostPort:containerPort", "1.2.3.4::80")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"ip": "1.2.3.4", "hostPort": "", "containerPort": "80"}, parts)
}

func TestParseEnvFile(t *testing.T) {
	t.Setenv("DOCKERLAB_PASSTHROUGH", "yes")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.env")
	require.NoError(t, os.WriteFile(good, []byte(
		"# comment\n\nFOO=bar\n  INDENTED=x y \nEMPTY=\nDOCKERLAB_PASSTHROUGH\nEQ=a=b\n"), 0o644))
	lines, err := ParseEnvFile(good)
	require.NoError(t, err)
	assert.Equal(t, []string{"FOO=bar", "INDENTED=x y ", "EMPTY=", "DOCKERLAB_PASSTHROUGH=yes", "EQ=a=b"}, lines)

	bad := filepath.Join(dir, "bad.env")
	require.NoError(t, os.WriteFile(bad, []byte("BAD KEY=1\n"), 0o644))
	_, err = ParseEnvFile(bad)
	assert.EqualError(t, err, "poorly formatted environment: variable 'BAD KEY' has white spaces")

	_, err = ParseEnvFile(filepath.Join(dir, "absent"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// `dockerlab v1.2 run` without arguments prints the flags' usage; the flag
// package then calls String on a zero ListOpts, which must not panic.
func TestListOptsUsageDoesNotPanic(t *testing.T) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var out bytes.Buffer
	fs.SetOutput(&out)
	env := NewListOpts(ValidateEnv)
	fs.Var(&env, "e", "Set environment variables")
	fs.PrintDefaults()
	assert.Contains(t, out.String(), "-e value")
	assert.NotContains(t, out.String(), "panic")
	assert.Equal(t, "[]", (&ListOpts{}).String())
}
