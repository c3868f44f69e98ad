// Package registry's engine side: the "auth" (docker login) and "search"
// jobs that builtins.Register installs.
//
// Upstream: registry/service.go at v1.2.0 (Service, NewService, Install,
// Auth, Search). See docs/upstream/v1.2.0.md §2.2 step 3 and §2.4.
// Book: ch.3 §3.3.5 加载builtins (these two jobs are builtins, not the
// daemon's); ch.9 for the registry they talk to.
package registry

import (
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// Service holds the registry jobs.
type Service struct{}

// NewService returns the service builtins.Register installs.
func NewService() *Service { return &Service{} }

// Install registers "auth" and "search" on eng.
func (s *Service) Install(eng *engine.Engine) error {
	if err := eng.Register("auth", s.Auth); err != nil {
		return err
	}
	return eng.Register("search", s.Search)
}

// Auth is the "auth" job (docker login): env authConfig. A server other
// than the index is expanded (https, else http) first; then Login.
func (s *Service) Auth(job *engine.Job) engine.Status {
	authConfig := &AuthConfig{}
	if job.EnvExists("authConfig") {
		if err := job.GetenvJson("authConfig", authConfig); err != nil {
			return job.Errorf("auth: the authConfig env is not valid JSON: %s", err)
		}
	}
	addr := authConfig.ServerAddress
	if addr == "" {
		addr = IndexServerAddress()
	}
	// Docker Hub's address is a URL already; any other is a host to
	// expand (with --default-registry, the index itself is one).
	if addr != INDEXSERVER {
		expanded, err := ExpandAndVerifyRegistryUrl(addr)
		if err != nil {
			return job.Error(err)
		}
		authConfig.ServerAddress = expanded
	}
	status, err := Login(authConfig, NewHTTPRequestFactory(nil))
	if err != nil {
		return job.Error(err)
	}
	job.Printf("%s\n", status)
	return engine.StatusOK
}

// Search is the "search TERM" job: TERM may name a registry
// ("localhost:5000/busy"); the answer is a table of results, most stars
// first.
func (s *Service) Search(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s TERM", job.Name)
	}
	var (
		term        = job.Args[0]
		metaHeaders = map[string][]string{}
		authConfig  = &AuthConfig{}
	)
	job.GetenvJson("authConfig", authConfig)
	job.GetenvJson("metaHeaders", &metaHeaders)

	hostname, term, err := ResolveRepositoryName(term)
	if err != nil {
		return job.Error(err)
	}
	hostname, err = ExpandAndVerifyRegistryUrl(hostname)
	if err != nil {
		return job.Error(err)
	}
	r, err := NewSession(authConfig, NewHTTPRequestFactory(metaHeaders), hostname, true)
	if err != nil {
		return job.Error(err)
	}
	results, err := r.SearchRepositories(term)
	if err != nil {
		return job.Error(err)
	}
	outs := engine.NewTable("star_count", 0)
	for _, result := range results.Results {
		out := &engine.Env{}
		out.Import(result)
		outs.Add(out)
	}
	outs.ReverseSort()
	if _, err := outs.WriteListTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}
