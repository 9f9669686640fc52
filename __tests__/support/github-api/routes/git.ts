// Git data routes of the stand-in: the repository, commits (list, one, compare `base...head`: the latest 250 without
// paging parameters, pages otherwise), refs (one, matching, create), annotated tag objects, and the paginated tags list.
import { timestamp, type Commit, type GitHubState, type TagObject } from '../state.js';
import { json, notFound, page, validationFailed, type RouteContext, type Routes } from './reply.js';

const REPO = '/repos/{owner}/{repo}';

function commitJson(context: RouteContext, commit: Commit): Record<string, unknown> {
  const { state, apiUrl } = context;
  const person = { name: 'Octo Cat', email: 'octocat@github.test', date: commit.date };
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha.slice(0, 12)}`,
    url: `${apiUrl}/repos/${state.fullName}/commits/${commit.sha}`,
    html_url: state.htmlUrl(`/commit/${commit.sha}`),
    commit: { message: commit.message, author: person, committer: person, tree: { sha: commit.sha.split('').reverse().join('') }, comment_count: 0 },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({ sha, url: `${apiUrl}/repos/${state.fullName}/commits/${sha}`, html_url: state.htmlUrl(`/commit/${sha}`) })),
  };
}

function refJson(context: RouteContext, ref: string, sha: string): Record<string, unknown> {
  const type = context.state.tagObjects.has(sha) ? 'tag' : 'commit';
  const repoUrl = `${context.apiUrl}/repos/${context.state.fullName}`;
  return { ref, node_id: `REF_${Buffer.from(ref).toString('base64url')}`, url: `${repoUrl}/git/${ref}`, object: { sha, type, url: `${repoUrl}/git/${type}s/${sha}` } };
}

function tagObjectJson(context: RouteContext, tag: TagObject): Record<string, unknown> {
  const repoUrl = `${context.apiUrl}/repos/${context.state.fullName}`;
  return {
    node_id: `TAG_${tag.sha.slice(0, 12)}`,
    sha: tag.sha,
    url: `${repoUrl}/git/tags/${tag.sha}`,
    tag: tag.tag,
    message: tag.message,
    tagger: tag.tagger,
    object: { ...tag.object, url: `${repoUrl}/git/commits/${tag.object.sha}` },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function refsStartingWith(state: GitHubState, prefix: string): [string, string][] {
  return [...state.refs].filter(([ref]) => ref.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b));
}

export const gitRoutes: Routes = {
  [`GET ${REPO}`]: ({ state }) =>
    json({ id: 1296269, node_id: 'R_1', name: state.repo, full_name: state.fullName, private: false, owner: state.userNamed(state.owner), html_url: state.htmlUrl(), default_branch: state.defaultBranch, fork: false }),

  [`GET ${REPO}/commits`]: (context) => {
    const start = context.state.resolve(context.query.get('sha') ?? context.state.defaultBranch);
    if (!start) return notFound();
    return page(context, context.state.history(start).map((commit) => commitJson(context, commit)));
  },

  [`GET ${REPO}/commits/{ref}`]: (context) => {
    const sha = context.state.resolve(context.params.ref!);
    return sha ? json(commitJson(context, context.state.commit(sha)!)) : validationFailed(`No commit found for SHA: ${context.params.ref}`);
  },

  [`GET ${REPO}/compare/{basehead}`]: (context) => {
    const { state } = context;
    const [baseName, headName] = context.params.basehead!.split('...');
    const base = baseName ? state.resolve(baseName) : undefined;
    const head = headName ? state.resolve(headName) : undefined;
    if (!base || !head) return notFound();
    const headHistory = state.history(head);
    const baseHistory = state.history(base);
    const mergeBase = headHistory.find((commit) => baseHistory.includes(commit))!;
    const ahead = headHistory.slice(0, headHistory.indexOf(mergeBase)).reverse();
    const behindBy = baseHistory.indexOf(mergeBase);
    const status = ahead.length === 0 && behindBy === 0 ? 'identical' : behindBy === 0 ? 'ahead' : ahead.length === 0 ? 'behind' : 'diverged';
    const commitsOf = (slice: Commit[]) => slice.map((commit) => commitJson(context, commit));
    const answer = (commits: unknown[]) => ({
      url: `${context.apiUrl}/repos/${state.fullName}/compare/${context.params.basehead}`,
      html_url: state.htmlUrl(`/compare/${context.params.basehead}`),
      base_commit: commitJson(context, state.commit(base)!),
      merge_base_commit: commitJson(context, mergeBase),
      status,
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      commits,
      files: [],
    });
    // Without paging parameters GitHub lists at most 250 commits, the last being the most recent of the comparison.
    if (!context.query.has('page') && !context.query.has('per_page')) return json(answer(commitsOf(ahead.slice(-250))));
    return page(context, commitsOf(ahead), 250, answer);
  },

  [`GET ${REPO}/git/ref/{ref}`]: (context) => {
    const ref = `refs/${context.params.ref}`;
    const sha = context.state.refs.get(ref);
    return sha ? json(refJson(context, ref, sha)) : notFound();
  },

  [`GET ${REPO}/git/matching-refs/{ref}`]: (context) =>
    page(context, refsStartingWith(context.state, `refs/${context.params.ref}`).map(([ref, sha]) => refJson(context, ref, sha)), 100),

  [`POST ${REPO}/git/refs`]: (context) => {
    const ref = String(context.body.ref);
    const sha = String(context.body.sha);
    if (!/^refs\/[^/]+\/.+/.test(ref)) return validationFailed(`${ref} is not a valid ref name.`);
    if (context.state.refs.has(ref)) return validationFailed('Reference already exists');
    if (!context.state.tagObjects.has(sha) && !context.state.commit(sha)) return validationFailed('Object does not exist');
    context.state.refs.set(ref, sha);
    return json(refJson(context, ref, sha), 201);
  },

  [`POST ${REPO}/git/tags`]: (context) => {
    const { body, state } = context;
    const object = String(body.object);
    if (!state.commit(object)) return validationFailed('Object does not exist');
    const tagger = body.tagger as { name: string; email: string; date?: string } | undefined;
    const tag = state.addTagObject(String(body.tag), String(body.message), object, tagger ? { name: tagger.name, email: tagger.email, date: tagger.date ?? timestamp() } : undefined);
    return json(tagObjectJson(context, tag), 201);
  },

  [`GET ${REPO}/git/tags/{tag_sha}`]: (context) => {
    const tag = context.state.tagObjects.get(context.params.tag_sha!);
    return tag ? json(tagObjectJson(context, tag)) : notFound();
  },

  // Newest tag first, by creation (GitHub documents no order: callers must not rely on one).
  [`GET ${REPO}/tags`]: (context) => {
    const { state, apiUrl } = context;
    const tags = [...state.refs].filter(([ref]) => ref.startsWith('refs/tags/')).reverse().map(([ref]) => {
      const name = ref.slice('refs/tags/'.length);
      const sha = state.resolve(ref)!;
      return { name, node_id: `TAG_${name}`, commit: { sha, url: `${apiUrl}/repos/${state.fullName}/commits/${sha}` }, zipball_url: `${apiUrl}/repos/${state.fullName}/zipball/refs/tags/${name}`, tarball_url: `${apiUrl}/repos/${state.fullName}/tarball/refs/tags/${name}` };
    });
    return page(context, tags);
  },
};
