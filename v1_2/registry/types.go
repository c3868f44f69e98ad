// The JSON shapes of the v1 registry protocol, with 1.2's names.
//
// Upstream: registry/types.go at v1.2.0 (SearchResult, SearchResults,
// RepositoryData, ImgData).
// Book: ch.9 §9.5.3 (RepositoryData is what pullRepository starts from).
package registry

// SearchResult is one repository found by GET <index>search.
type SearchResult struct {
	StarCount   int    `json:"star_count"`
	IsOfficial  bool   `json:"is_official"`
	Name        string `json:"name"`
	IsTrusted   bool   `json:"is_trusted"`
	Description string `json:"description"`
}

// SearchResults is the whole answer of a search.
type SearchResults struct {
	Query      string         `json:"query"`
	NumResults int            `json:"num_results"`
	Results    []SearchResult `json:"results"`
}

// RepositoryData is what the index says about a repository: its images
// (by id), the registries that hold them and the tokens to show them.
type RepositoryData struct {
	ImgList   map[string]*ImgData
	Endpoints []string
	Tokens    []string
}

// ImgData is one entry of a repository's image list. Tag is capitalised
// on the wire, as 1.2 sent it.
type ImgData struct {
	ID              string `json:"id"`
	Checksum        string `json:"checksum,omitempty"`
	ChecksumPayload string `json:"-"`
	Tag             string `json:",omitempty"`
}
