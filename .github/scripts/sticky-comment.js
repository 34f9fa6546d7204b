// The pull request's one review comment: found by its marker and updated, or created. Used by every job that
// posts (the offline review first, then the same comment with the real preview beside it).
const fs = require("fs");

const MARKER = "<!-- gigafactory-diff -->";
// GitHub refuses a body above 65,536 characters.
const LIMIT = 65000;

module.exports = async function postSticky({ github, context }, file) {
  let body = fs.readFileSync(file, "utf8");
  if (!body.includes(MARKER)) body = `${MARKER}\n${body}`;
  if (body.length > LIMIT) {
    const cut = body.lastIndexOf("\n## ", LIMIT);
    body = `${body.slice(0, cut > 0 ? cut : LIMIT)}\n\n(the rest is in the job summary and the run's artifacts)\n`;
  }
  const { owner, repo } = context.repo;
  const issue_number = context.payload.pull_request.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const mine = comments.find((c) => c.user?.type === "Bot" && c.body?.includes(MARKER));
  if (mine) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
  else await github.rest.issues.createComment({ owner, repo, issue_number, body });
};
