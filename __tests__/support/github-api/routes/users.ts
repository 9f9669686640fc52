// The token's identity: GET /user answers the configured login, or 403 "Resource not accessible by integration" as
// it does for a GITHUB_TOKEN (an installation token has no user).
import { json, type Routes } from './reply.js';

export const userRoutes: Routes = {
  'GET /user': ({ state }) =>
    state.user === 'forbidden'
      ? json({ message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user', status: '403' }, 403)
      : json({ ...state.userNamed(state.user), node_id: `U_${state.user}`, html_url: `${state.serverUrl}/${state.user}`, site_admin: false }),
};
