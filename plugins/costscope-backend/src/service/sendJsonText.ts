import express from 'express';
import { JsonText } from './services';

/** Sends an answer already serialised (a kept or cached one) without parsing it again. */
export function sendJsonText(res: express.Response, text: JsonText): void {
  res.type('application/json').send(text);
}
