// The in-memory repository behind the GitHub API stand-in: commits, refs and tag objects, deployments and their
// statuses, pull requests and reviews, issues and their comments, releases. Objects are kept in GitHub's JSON shape
// (what the routes answer), so tests read them as the product would. Tests seed a linear history and the pull
// requests, reviews or older deployments a scenario needs with the `add*` helpers, and inspect everything after.
import { createHash } from 'node:crypto';

export interface StateOptions {
  owner?: string;
  repo?: string;
  /** Base of every html_url (default http://github.test). */
  serverUrl?: string;
  /** The login of the token's identity: the author of comments, deployments, releases (default github-actions[bot]). */
  login?: string;
  /** What GET /user answers: this login, or 403 as GITHUB_TOKEN does (default 'forbidden'). */
  user?: string | 'forbidden';
  /** The first id handed out (default 1000). */
  firstId?: number;
  defaultBranch?: string;
}

export interface User {
  login: string;
  id: number;
  type: 'Bot' | 'User';
}

export interface Commit {
  sha: string;
  message: string;
  parents: string[];
  date: string;
}

export interface TagObject {
  sha: string;
  tag: string;
  message: string;
  object: { sha: string; type: string };
  tagger: { name: string; email: string; date: string };
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  original_environment: string;
  description: string | null;
  payload: unknown;
  transient_environment: boolean;
  production_environment: boolean;
  creator: User;
  created_at: string;
  updated_at: string;
}

export interface DeploymentStatus {
  id: number;
  deployment_id: number;
  state: string;
  description: string;
  environment: string;
  log_url: string;
  target_url: string;
  environment_url: string;
  creator: User;
  created_at: string;
  updated_at: string;
}

export interface PullRequest {
  number: number;
  head: { sha: string; ref: string; repo: { full_name: string } };
  base: { ref: string; repo: { full_name: string } };
  merge_commit_sha: string | null;
  state: 'open' | 'closed';
  merged_at: string | null;
  title: string;
  html_url: string;
  user: User;
}

export interface Review {
  id: number;
  pull_number: number;
  /** null: the reviewer's account was deleted. */
  user: User | null;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  body: string;
  commit_id: string;
  /** null while PENDING (GitHub leaves the field out). */
  submitted_at: string | null;
  /** The reviewer's relation to the repository: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE… */
  author_association: string;
}

export interface Issue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  labels: string[];
  user: User;
  created_at: string;
  updated_at: string;
}

export interface IssueComment {
  id: number;
  issue_number: number;
  body: string;
  user: User;
  created_at: string;
  updated_at: string;
}

export interface Release {
  id: number;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: User;
  created_at: string;
  published_at: string | null;
}

/** GitHub's timestamps: ISO 8601 to the second. */
export function timestamp(at = new Date()): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class GitHubState {
  owner: string;
  repo: string;
  serverUrl: string;
  defaultBranch: string;
  /** The token's identity. */
  actor: User;
  /** What GET /user answers. */
  user: string | 'forbidden';
  commits: Commit[] = [];
  /** Full ref name (refs/heads/main, refs/tags/v1.0.0) → the sha it points at (a commit, or an annotated tag object). */
  refs = new Map<string, string>();
  tagObjects = new Map<string, TagObject>();
  deployments: Deployment[] = [];
  statuses: DeploymentStatus[] = [];
  pulls: PullRequest[] = [];
  reviews: Review[] = [];
  issues: Issue[] = [];
  comments: IssueComment[] = [];
  releases: Release[] = [];
  /** Workflow runs by id: a run not listed is still in progress. */
  runs = new Map<number, { status: 'queued' | 'in_progress' | 'completed'; conclusion: string | null }>();
  /** When set, POST /deployments answers 409 with the message returned (e.g. "Conflict: Commit status checks failed for main."). */
  deploymentConflict?: (body: Record<string, unknown>) => string | undefined;
  private lastId: number;

  constructor(options: StateOptions = {}) {
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'shop';
    this.serverUrl = (options.serverUrl ?? 'http://github.test').replace(/\/+$/, '');
    this.defaultBranch = options.defaultBranch ?? 'main';
    this.user = options.user ?? 'forbidden';
    this.lastId = (options.firstId ?? 1000) - 1;
    this.actor = this.userNamed(options.login ?? 'github-actions[bot]');
  }

  get fullName(): string {
    return `${this.owner}/${this.repo}`;
  }

  /** `${serverUrl}/owner/repo${path}` */
  htmlUrl(path = ''): string {
    return `${this.serverUrl}/${this.fullName}${path}`;
  }

  nextId(): number {
    return ++this.lastId;
  }

  userNamed(login: string): User {
    return { login, id: 41898282 + login.length, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
  }

  /** The default branch's tip (undefined before any commit). */
  head(): string | undefined {
    return this.refs.get(`refs/heads/${this.defaultBranch}`);
  }

  /** Appends a linear history on top of the default branch; returns the new shas, oldest first. */
  addCommits(messages: string[]): string[] {
    return messages.map((message) => {
      const parent = this.head();
      const sha = createHash('sha1').update(`${parent ?? ''}\n${message}\n${this.commits.length}`).digest('hex');
      this.commits.push({ sha, message, parents: parent ? [parent] : [], date: timestamp() });
      this.refs.set(`refs/heads/${this.defaultBranch}`, sha);
      return sha;
    });
  }

  commit(sha: string): Commit | undefined {
    return this.commits.find((commit) => commit.sha === sha);
  }

  /** A tag on a commit (default: the head): lightweight, or annotated when `message` is given. */
  addTag(name: string, sha = this.head(), message?: string): void {
    if (!sha) throw new Error('addTag: no commit to tag');
    this.refs.set(`refs/tags/${name}`, message === undefined ? sha : this.addTagObject(name, message, sha).sha);
  }

  addTagObject(tag: string, message: string, object: string, tagger = { name: this.actor.login, email: 'bot@github.test', date: timestamp() }): TagObject {
    const sha = createHash('sha1').update(`tag ${tag}\n${object}\n${message}`).digest('hex');
    const tagObject = { sha, tag, message, object: { sha: object, type: 'commit' }, tagger };
    this.tagObjects.set(sha, tagObject);
    return tagObject;
  }

  /**
   * The commit a name stands for: a full or abbreviated sha, a ref (refs/…, heads/…, tags/…), a branch or a tag name;
   * annotated tags are peeled.
   */
  resolve(name: string): string | undefined {
    const candidates = [name, `refs/${name}`, `refs/heads/${name}`, `refs/tags/${name}`];
    let sha = candidates.map((ref) => this.refs.get(ref)).find(Boolean);
    if (!sha && /^[0-9a-f]{7,40}$/.test(name)) sha = this.commits.find((commit) => commit.sha.startsWith(name))?.sha ?? [...this.tagObjects.keys()].find((key) => key.startsWith(name));
    while (sha && this.tagObjects.has(sha)) sha = this.tagObjects.get(sha)!.object.sha;
    return sha && this.commit(sha) ? sha : undefined;
  }

  /** The commits reachable from `sha`, newest first. */
  history(sha: string): Commit[] {
    const out: Commit[] = [];
    for (let commit = this.commit(sha); commit; commit = commit.parents[0] ? this.commit(commit.parents[0]) : undefined) out.push(commit);
    return out;
  }

  /** A pull request: merged into the default branch as `mergeCommitSha` when given, otherwise open. */
  addPull(pull: { number: number; headSha: string; mergeCommitSha?: string; title?: string; headRepo?: string; headRef?: string; author?: string }): PullRequest {
    const record: PullRequest = {
      number: pull.number,
      head: { sha: pull.headSha, ref: pull.headRef ?? `feature-${pull.number}`, repo: { full_name: pull.headRepo ?? this.fullName } },
      base: { ref: this.defaultBranch, repo: { full_name: this.fullName } },
      merge_commit_sha: pull.mergeCommitSha ?? null,
      state: pull.mergeCommitSha ? 'closed' : 'open',
      merged_at: pull.mergeCommitSha ? timestamp() : null,
      title: pull.title ?? `Pull request ${pull.number}`,
      html_url: this.htmlUrl(`/pull/${pull.number}`),
      user: this.userNamed(pull.author ?? 'octocat'),
    };
    this.pulls.push(record);
    return record;
  }

  /** A review by `login` (null: a deleted account); a PENDING one has no submission time. */
  addReview(pullNumber: number, review: { login: string | null; state: Review['state']; submittedAt?: string; body?: string; association?: string }): Review {
    const pull = this.pulls.find((candidate) => candidate.number === pullNumber);
    if (!pull) throw new Error(`addReview: no pull request #${pullNumber}`);
    const record: Review = {
      id: this.nextId(),
      pull_number: pullNumber,
      user: review.login === null ? null : this.userNamed(review.login),
      state: review.state,
      body: review.body ?? '',
      commit_id: pull.head.sha,
      submitted_at: review.state === 'PENDING' ? null : (review.submittedAt ?? timestamp()),
      author_association: review.association ?? 'MEMBER',
    };
    this.reviews.push(record);
    return record;
  }

  /** A comment on an issue or pull request, by `login` (default: the token's identity). */
  addComment(issueNumber: number, body: string, login?: string, at = timestamp()): IssueComment {
    const record: IssueComment = { id: this.nextId(), issue_number: issueNumber, body, user: login ? this.userNamed(login) : this.actor, created_at: at, updated_at: at };
    this.comments.push(record);
    return record;
  }

  /** The next issue / pull request number (they share one sequence). */
  nextNumber(): number {
    return Math.max(0, ...this.issues.map((issue) => issue.number), ...this.pulls.map((pull) => pull.number)) + 1;
  }

  addIssue(issue: { title: string; body?: string; labels?: string[]; state?: Issue['state']; login?: string }): Issue {
    const at = timestamp();
    const record: Issue = { id: this.nextId(), number: this.nextNumber(), title: issue.title, body: issue.body ?? null, state: issue.state ?? 'open', labels: issue.labels ?? [], user: issue.login ? this.userNamed(issue.login) : this.actor, created_at: at, updated_at: at };
    this.issues.push(record);
    return record;
  }

  /** A deployment with its statuses (oldest first), as an earlier run (or another tool, `creator`) would have left it. */
  addDeployment(
    deployment: { sha: string; environment: string; ref?: string; task?: string; payload?: unknown; transient?: boolean; production?: boolean; description?: string; creator?: string; createdAt?: string },
    states: string[] = [],
  ): Deployment {
    const at = deployment.createdAt ?? timestamp();
    const record: Deployment = {
      id: this.nextId(),
      sha: deployment.sha,
      ref: deployment.ref ?? deployment.sha,
      task: deployment.task ?? 'deploy',
      environment: deployment.environment,
      original_environment: deployment.environment,
      description: deployment.description ?? '',
      payload: deployment.payload ?? {},
      transient_environment: deployment.transient ?? false,
      production_environment: deployment.production ?? deployment.environment === 'production',
      creator: deployment.creator ? this.userNamed(deployment.creator) : this.actor,
      created_at: at,
      updated_at: at,
    };
    this.deployments.push(record);
    for (const state of states) this.addStatus(record, { state });
    return record;
  }

  /**
   * A status of a deployment. As GitHub does (`auto_inactive`, default true), a `success` marks the earlier successful
   * deployments of the same environment `inactive`, unless they are transient or production ones.
   */
  addStatus(deployment: Deployment, fields: { state: string; description?: string; environment?: string; log_url?: string; target_url?: string; environment_url?: string; auto_inactive?: boolean }): DeploymentStatus {
    const at = timestamp();
    const logUrl = fields.log_url ?? fields.target_url ?? '';
    const environment = fields.environment ?? this.latestStatus(deployment.id)?.environment ?? deployment.environment;
    const record: DeploymentStatus = {
      id: this.nextId(),
      deployment_id: deployment.id,
      state: fields.state,
      description: fields.description ?? '',
      environment,
      log_url: logUrl,
      target_url: logUrl,
      environment_url: fields.environment_url ?? '',
      creator: this.actor,
      created_at: at,
      updated_at: at,
    };
    if (fields.state === 'success' && fields.auto_inactive !== false) {
      for (const earlier of this.deployments) {
        if (earlier.id === deployment.id || earlier.environment !== deployment.environment || earlier.transient_environment || earlier.production_environment) continue;
        if (this.latestStatus(earlier.id)?.state === 'success') this.pushStatus(earlier, 'inactive', at);
      }
    }
    this.statuses.push(record);
    deployment.updated_at = at;
    return record;
  }

  private pushStatus(deployment: Deployment, state: string, at: string): void {
    const latest = this.latestStatus(deployment.id)!;
    this.statuses.push({ ...latest, id: this.nextId(), state, description: '', created_at: at, updated_at: at });
  }

  /** A deployment's statuses, newest first (as GitHub lists them). */
  statusesOf(deploymentId: number): DeploymentStatus[] {
    return this.statuses.filter((status) => status.deployment_id === deploymentId).sort((a, b) => b.id - a.id);
  }

  latestStatus(deploymentId: number): DeploymentStatus | undefined {
    return this.statusesOf(deploymentId)[0];
  }
}
