// Release routes of the stand-in: create (422 `already_exists` when the tag has a release; a missing tag is created
// on `target_commitish`, as GitHub does), get by tag, by id and the latest, list (newest first), update. Notes over
// GitHub's 125,000 characters are refused as GitHub does.
import type { Release } from '../state.js';
import { timestamp } from '../state.js';
import { idParam, json, notFound, page, validationFailed, type Reply, type RouteContext, type Routes } from './reply.js';

const REPO = '/repos/{owner}/{repo}';
const MAX_BODY = 125_000;

function tooLong(body: unknown): Reply | undefined {
  if (typeof body !== 'string' || body.length <= MAX_BODY) return undefined;
  const message = `body is too long (maximum is ${MAX_BODY} characters; got ${body.length})`;
  return validationFailed('Validation Failed', [{ resource: 'Release', code: 'custom', field: 'body', message }], message);
}

function releaseJson(context: RouteContext, release: Release): Record<string, unknown> {
  const url = `${context.apiUrl}/repos/${context.state.fullName}/releases/${release.id}`;
  return {
    ...release,
    url,
    node_id: `RE_${release.id}`,
    html_url: context.state.htmlUrl(`/releases/tag/${encodeURIComponent(release.tag_name)}`),
    assets_url: `${url}/assets`,
    upload_url: `${url}/assets{?name,label}`,
    tarball_url: `${context.apiUrl}/repos/${context.state.fullName}/tarball/${release.tag_name}`,
    zipball_url: `${context.apiUrl}/repos/${context.state.fullName}/zipball/${release.tag_name}`,
    immutable: false,
    assets: [],
  };
}

function byId(context: RouteContext): Release | undefined {
  return context.state.releases.find((release) => release.id === idParam(context, 'release_id'));
}

export const releaseRoutes: Routes = {
  [`POST ${REPO}/releases`]: (context) => {
    const { state, body } = context;
    const tag = String(body.tag_name);
    const refused = tooLong(body.body);
    if (refused) return refused;
    if (state.releases.some((release) => release.tag_name === tag)) {
      return validationFailed('Validation Failed', [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
    }
    const target = (body.target_commitish as string | undefined) ?? state.defaultBranch;
    if (!state.refs.has(`refs/tags/${tag}`)) {
      const sha = state.resolve(target);
      if (!sha) return validationFailed('Validation Failed', [{ resource: 'Release', code: 'invalid', field: 'target_commitish' }]);
      state.addTag(tag, sha);
    }
    const draft = body.draft === true;
    const release: Release = {
      id: state.nextId(),
      tag_name: tag,
      target_commitish: target,
      name: (body.name as string | undefined) ?? tag,
      body: (body.body as string | undefined) ?? null,
      draft,
      prerelease: body.prerelease === true,
      author: state.actor,
      created_at: timestamp(),
      published_at: draft ? null : timestamp(),
    };
    state.releases.push(release);
    return json(releaseJson(context, release), 201);
  },

  [`GET ${REPO}/releases`]: (context) => page(context, [...context.state.releases].sort((a, b) => b.id - a.id).map((release) => releaseJson(context, release))),

  [`GET ${REPO}/releases/latest`]: (context) => {
    const latest = context.state.releases.filter((release) => !release.draft && !release.prerelease).at(-1);
    return latest ? json(releaseJson(context, latest)) : notFound();
  },

  [`GET ${REPO}/releases/tags/{tag}`]: (context) => {
    const release = context.state.releases.find((candidate) => candidate.tag_name === context.params.tag && !candidate.draft);
    return release ? json(releaseJson(context, release)) : notFound();
  },

  [`GET ${REPO}/releases/{release_id}`]: (context) => {
    const release = byId(context);
    return release ? json(releaseJson(context, release)) : notFound();
  },

  [`PATCH ${REPO}/releases/{release_id}`]: (context) => {
    const release = byId(context);
    if (!release) return notFound();
    const { body } = context;
    const refused = tooLong(body.body);
    if (refused) return refused;
    for (const key of ['tag_name', 'target_commitish', 'name', 'body'] as const) if (typeof body[key] === 'string') release[key] = body[key] as string;
    if (typeof body.prerelease === 'boolean') release.prerelease = body.prerelease;
    if (typeof body.draft === 'boolean') {
      release.draft = body.draft;
      release.published_at = body.draft ? null : (release.published_at ?? timestamp());
    }
    return json(releaseJson(context, release));
  },
};
