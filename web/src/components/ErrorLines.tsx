import { Fragment } from 'react';

/** Several messages for one field, one per line. */
export function ErrorLines({ messages }: { messages: readonly string[] }) {
  return (
    <>
      {messages.map((message, index) => (
        <Fragment key={index}>
          {index > 0 && <br />}
          {message}
        </Fragment>
      ))}
    </>
  );
}
