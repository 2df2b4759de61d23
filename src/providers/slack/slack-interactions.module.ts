import { Module } from '@nestjs/common';
import { SlackInteractionsController } from './slack-interactions.controller.js';

/** The interactivity endpoint (Approve / Reject buttons). */
@Module({ controllers: [SlackInteractionsController] })
export class SlackInteractionsModule {}
